using System.Text.Json.Serialization;
using Tributary.Storage.TrueLayer;
using Tributary.TrueLayer;

namespace Tributary.Api.TrueLayer;

/// <summary>Body of <c>POST /api/truelayer/import/plan</c>: the seed's fields, plus <c>max_workers</c> (accounts at once).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ImportPlanBody(
    [property: JsonPropertyName("connection_id")] string? ConnectionId,
    [property: JsonPropertyName("from_date")] string? FromDate,
    [property: JsonPropertyName("to_date")] string? ToDate,
    [property: JsonPropertyName("account_ids")] IReadOnlyList<string>? AccountIds,
    [property: JsonPropertyName("auto_enrich")] bool? AutoEnrich,
    [property: JsonPropertyName("batch_size")] int? BatchSize,
    [property: JsonPropertyName("max_workers")] int? MaxWorkers);

/// <summary>Body of <c>POST /api/truelayer/import/start</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ImportStartBody([property: JsonPropertyName("job_id")] string? JobId);

/// <summary>Body of <c>POST /api/truelayer/connections</c>: a refresh token the user already holds (it rotates: the one sent stops working).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConnectionCreateBody([property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    public override string ToString() => "ConnectionCreateBody { RefreshToken = *** }";
}

public sealed record ConnectLinkView(
    [property: JsonPropertyName("auth_url")] string AuthUrl,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

public sealed record ConnectionView(
    [property: JsonPropertyName("connection_id")] string ConnectionId,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("provider_id")] string? ProviderId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_message")] string? StatusMessage,
    [property: JsonPropertyName("consent_expires_at")] DateTimeOffset? ConsentExpiresAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt)
{
    public static ConnectionView From(StoredConnection c) =>
        new(c.ConnectionId, c.Owner, c.ProviderName, c.ProviderId, c.Status, c.StatusMessage, c.ConsentExpiresAt, c.CreatedAt);
}

public sealed record AccountView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("type")] string? AccountType,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("last_synced_at")] DateTimeOffset? LastSyncedAt,
    [property: JsonPropertyName("last_synced_at_incremental")] DateTimeOffset? LastSyncedAtIncremental,
    [property: JsonPropertyName("transactions")] long Transactions)
{
    public static AccountView From(StoredAccount a) =>
        new(a.AccountId, a.Kind, a.AccountType, a.Currency, a.DisplayName, a.LastSyncedAt, a.LastSyncedAtIncremental, a.TransactionCount);
}

public sealed record DateRangeView(
    [property: JsonPropertyName("from_date")] DateOnly FromDate,
    [property: JsonPropertyName("to_date")] DateOnly ToDate,
    [property: JsonPropertyName("days")] int Days)
{
    public static DateRangeView Of(DateOnly from, DateOnly to) => new(from, to, to.DayNumber - from.DayNumber + 1);
}

public sealed record PlannedAccountView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("type")] string? AccountType,
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("estimated_transactions")] long EstimatedTransactions,
    [property: JsonPropertyName("last_synced_at")] DateTimeOffset? LastSyncedAt);

/// <summary>The reply to a plan: the seed's fields, plus <c>batch_size</c>, <c>max_workers</c> and <c>auto_enrich</c> as stored.</summary>
public sealed record ImportPlanView(
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("connection_id")] string ConnectionId,
    [property: JsonPropertyName("estimated_accounts")] int EstimatedAccounts,
    [property: JsonPropertyName("estimated_transactions")] long EstimatedTransactions,
    [property: JsonPropertyName("estimated_duration_seconds")] int EstimatedDurationSeconds,
    [property: JsonPropertyName("estimated_cost")] decimal EstimatedCost,
    [property: JsonPropertyName("date_range")] DateRangeView DateRange,
    [property: JsonPropertyName("accounts")] IReadOnlyList<PlannedAccountView> Accounts,
    [property: JsonPropertyName("auto_enrich")] bool AutoEnrich,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("max_workers")] int MaxWorkers)
{
    public static ImportPlanView From(ImportPlan p) => new(p.JobId, p.Status, p.ConnectionId, p.EstimatedAccounts, p.EstimatedTransactions,
        p.EstimatedDurationSeconds, p.EstimatedCost, DateRangeView.Of(p.FromDate, p.ToDate),
        [.. p.Accounts.Select(a => new PlannedAccountView(a.AccountId, a.DisplayName, a.Kind, a.AccountType, a.Currency, a.EstimatedTransactions, a.LastSyncedAt))],
        p.AutoEnrich, p.BatchSize, p.MaxWorkers);
}

public sealed record ImportStartView(
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("run_id")] Guid? RunId,
    [property: JsonPropertyName("status_url")] string StatusUrl);

public sealed record ImportProgressView(
    [property: JsonPropertyName("completed_accounts")] int CompletedAccounts,
    [property: JsonPropertyName("total_accounts")] int TotalAccounts,
    [property: JsonPropertyName("percent")] decimal Percent);

public sealed record ImportTotalsView(
    [property: JsonPropertyName("synced")] long Synced,
    [property: JsonPropertyName("duplicates")] long Duplicates,
    [property: JsonPropertyName("errors")] long Errors);

public sealed record ImportAccountView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("display_name")] string? DisplayName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("synced")] int Synced,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("errors")] int Errors,
    [property: JsonPropertyName("settled")] int Settled,
    [property: JsonPropertyName("windows_done")] int WindowsDone,
    [property: JsonPropertyName("windows_total")] int WindowsTotal,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt);

/// <summary>
/// <c>GET /api/truelayer/import/status/{job_id}</c>: the seed's fields (<c>progress</c>, <c>accounts</c>,
/// <c>estimated_completion</c>, <c>total_so_far</c>) and the job's own.
/// </summary>
public sealed record ImportStatusView(
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("connection_id")] string ConnectionId,
    [property: JsonPropertyName("progress")] ImportProgressView Progress,
    [property: JsonPropertyName("accounts")] IReadOnlyList<ImportAccountView> Accounts,
    [property: JsonPropertyName("estimated_completion")] DateTimeOffset? EstimatedCompletion,
    [property: JsonPropertyName("total_so_far")] ImportTotalsView TotalSoFar,
    [property: JsonPropertyName("date_range")] DateRangeView DateRange,
    [property: JsonPropertyName("auto_enrich")] bool AutoEnrich,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("max_workers")] int MaxWorkers,
    [property: JsonPropertyName("incremental")] bool Incremental,
    [property: JsonPropertyName("run_id")] Guid? RunId,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt);

/// <summary>One row of <c>GET /api/truelayer/import/history</c>.</summary>
public sealed record ImportHistoryView(
    [property: JsonPropertyName("job_id")] Guid JobId,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("connection_id")] string ConnectionId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("date_range")] DateRangeView DateRange,
    [property: JsonPropertyName("progress")] ImportProgressView Progress,
    [property: JsonPropertyName("total_so_far")] ImportTotalsView Totals,
    [property: JsonPropertyName("incremental")] bool Incremental,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("started_at")] DateTimeOffset? StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt);

/// <summary>Body of <c>POST /api/truelayer/enrichment</c>: an import's transactions, or a connection's in a range.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record EnrichmentBody(
    [property: JsonPropertyName("import_job_id")] string? ImportJobId,
    [property: JsonPropertyName("connection_id")] string? ConnectionId,
    [property: JsonPropertyName("account_ids")] IReadOnlyList<string>? AccountIds,
    [property: JsonPropertyName("from_date")] string? FromDate,
    [property: JsonPropertyName("to_date")] string? ToDate);

/// <summary>An enrichment job as <c>truelayer_enrichment_jobs</c> holds it.</summary>
public sealed record EnrichmentView(
    [property: JsonPropertyName("enrichment_job_id")] Guid JobId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("import_job_id")] Guid? ImportJobId,
    [property: JsonPropertyName("account_ids")] IReadOnlyList<string> AccountIds,
    [property: JsonPropertyName("from_date")] DateOnly? FromDate,
    [property: JsonPropertyName("to_date")] DateOnly? ToDate,
    [property: JsonPropertyName("categorised")] int Categorised,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("run_id")] Guid? RunId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt)
{
    public static EnrichmentView From(EnrichmentJob job, Guid? runId) =>
        new(job.JobId, job.Status, job.ImportJobId, job.AccountIds, job.FromDate, job.ToDate, job.Categorised, job.Error, runId, job.CreatedAt, job.FinishedAt);
}
