using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tributary.Storage.Relay;

namespace Tributary.Api.Sync;

/// <summary>Body of <c>POST /api/sync/runs</c>: the seed's command-line flags, snake_case.</summary>
/// <param name="DownloadDir">A folder under the silos' <c>Relay:DownloadDirectory</c> (relative, plain names); default that folder.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SyncRunBody(
    [property: JsonPropertyName("skip_credinvest")] bool? SkipCredinvest = null,
    [property: JsonPropertyName("skip_vestr_fees")] bool? SkipVestrFees = null,
    [property: JsonPropertyName("skip_fee_snapshots")] bool? SkipFeeSnapshots = null,
    [property: JsonPropertyName("delete_after_upload")] bool? DeleteAfterUpload = null,
    [property: JsonPropertyName("download_dir")] string? DownloadDir = null);

/// <summary>The answer to a start: the run started, or the one already running.</summary>
public sealed record SyncStarted(
    [property: JsonPropertyName("run_id")] Guid RunId,
    [property: JsonPropertyName("started")] bool Started,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_url")] string StatusUrl);

/// <summary>One integrated sync run with each step's outcome.</summary>
/// <param name="Options">The flags it ran with (<c>skip_*</c>, <c>delete_after_upload</c>, <c>download_dir</c>).</param>
public sealed record SyncRunView(
    [property: JsonPropertyName("run_id")] Guid RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("scheduled_for")] DateTimeOffset? ScheduledFor,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("options")] IReadOnlyDictionary<string, string> Options,
    [property: JsonPropertyName("steps")] IReadOnlyList<SyncStepView> Steps,
    [property: JsonPropertyName("failed_accounts")] IReadOnlyList<string> FailedAccounts,
    [property: JsonPropertyName("error")] string? Error);

/// <summary>
/// One step of a sync run. <c>status</c>: <c>pending</c> (not reached yet), <c>running</c>, <c>skipped</c>,
/// <c>succeeded</c>, <c>failed</c> or <c>not_configured</c> (the cluster lacks its domain; <c>detail</c> names the settings). <c>run_id</c> is the step's own run (<c>credinvest_relay</c>, <c>vestr_fees</c>) and
/// <c>counts</c> its batches' counts summed (files uploaded, deleted; fee records inserted, updated).
/// </summary>
public sealed record SyncStepView(
    [property: JsonPropertyName("step")] string Step,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("run_id")] Guid? RunId,
    [property: JsonPropertyName("run_status")] string? RunStatus,
    [property: JsonPropertyName("items_processed")] int ItemsProcessed,
    [property: JsonPropertyName("counts")] JsonObject Counts,
    [property: JsonPropertyName("failed_accounts")] IReadOnlyList<string> FailedAccounts,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("detail")] string? Detail);

/// <summary>What the last relay listing saw and selected.</summary>
public sealed record RelayFilesView(
    [property: JsonPropertyName("run_id")] Guid? RunId,
    [property: JsonPropertyName("listed_at")] DateTimeOffset? ListedAt,
    [property: JsonPropertyName("listed")] int Listed,
    [property: JsonPropertyName("selected")] int Selected,
    [property: JsonPropertyName("left_out")] int LeftOut,
    [property: JsonPropertyName("files")] IReadOnlyList<RelayFileView> Files);

/// <summary>One listed file: selected, or left out with the reason.</summary>
/// <param name="Upload">For a selected file, how its upload went in that run: <c>uploaded</c>, <c>failed</c>, or null before its turn.</param>
public sealed record RelayFileView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("modified_at")] DateTimeOffset ModifiedAt,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("selected")] bool Selected,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("upload")] string? Upload,
    [property: JsonPropertyName("content_hash")] string? ContentHash,
    [property: JsonPropertyName("upload_error")] string? UploadError)
{
    public static RelayFileView From(ListedFile file, FileUpload? upload) => new(
        file.Name, file.Size, file.ModifiedAt, file.Account, file.FileType, file.Selected, file.Reason,
        upload?.Status, upload?.ContentHash, upload?.Error);
}
