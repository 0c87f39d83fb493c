using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Connectors;
using Tributary.Connectors.Credinvest;
using Tributary.Connectors.Dropbox;
using Tributary.Jobs;
using Tributary.Storage.Relay;
using Tributary.Sync;

namespace Tributary.FileRelay;

/// <summary>
/// The Credinvest -> Dropbox relay as a job of the runtime (<c>credinvest_relay</c>). The plan lists Credinvest's SFTP
/// directory, applies the selection rules (<see cref="InteSelection"/>) and stores the listing with why each file was
/// left out; its items are the selected files and, last, <see cref="CleanupItem"/>. Each file is one batch: download
/// (kept when a copy of the same size is there), upload to <see cref="RelayOptions.DropboxFolder"/> (overwrite), check
/// Dropbox's content hash against ours. The last batch deletes from the folder the files that are not in this run's
/// selection, and (<c>delete_after_upload</c>) the downloaded copies, but only when every selected file is uploaded and
/// verified: a failed upload leaves the folder and the disk as they were.
/// </summary>
/// <remarks>
/// <para>
/// Pacing, as the seed's: uploads one at a time (never two writes to one folder), the Dropbox limiter spacing them
/// <see cref="RelayOptions.UploadInterval"/> (0.5 s) apart; a failed upload is retried up to 3 times after 1, 2 and 4 s
/// (the runtime's retries, without jitter); a 429 is waited out in full (the limiter paused until its Retry-After, so
/// nothing calls Dropbox earlier) without spending an attempt. Batches run in plan order, one at a time, so the cleanup
/// batch starts only after every file's batch has ended, and a resumed run keeps that order.
/// </para>
/// <para>
/// Credinvest's failures do not count against Dropbox's circuit breaker: a download that fails is reported as the
/// relay's own failure (retried when Credinvest called it passing, dead-lettered when it refused for good).
/// </para>
/// </remarks>
public sealed partial class CredinvestRelayJob(
    CredinvestSftpClient sftp,
    DropboxClient dropbox,
    RelayStore store,
    IGrainFactory grains,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<CredinvestRelayJob> logger) : IJobDefinition
{
    /// <summary>The last item of a plan: no INTE name can look like it.</summary>
    public const string CleanupItem = "~cleanup";

    public string Name => SyncKeys.RelayJob;

    public string ItemsName => "Files";

    public JobSettings Defaults { get; } = new()
    {
        BatchSize = 1,
        MaxParallelBatches = 1,
        MaxAttempts = 4,
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryJitter = false,
        Upstream = DropboxClient.Upstream,
    };

    /// <summary>One file per batch and one batch at a time, whatever is configured: the order is the relay's safety.</summary>
    public JobSettings SettingsFor(JobSettings configured, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var settings = configured.Clone();
        settings.BatchSize = 1;
        settings.MaxParallelBatches = 1;
        settings.DynamicBatchSizing = false;
        return settings;
    }

    public bool ReportsCounts => true;

    public async Task<IReadOnlyList<string>> PlanAsync(JobPlanContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            DownloadDirectoryOf(context.Request); // a bad download_dir fails the trigger before anything is listed
        }
        catch (PermanentBatchException exception)
        {
            throw new RunPlanException(exception.Message, isTransient: false);
        }

        IReadOnlyList<RemoteFile> listing;
        try
        {
            listing = await sftp.ListAsync(cancellationToken);
        }
        catch (UpstreamException exception)
        {
            // The trigger's caller may be on another silo: our own serializable type, with Credinvest's sentence.
            throw new RunPlanException(exception.Message, exception.IsTransient);
        }

        var selection = InteSelection.Of(listing);
        var at = time.GetUtcNow();
        var reasons = selection.LeftOut.ToDictionary(l => l.Name, l => l.Reason, StringComparer.Ordinal);
        var selected = selection.Selected.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var rows = listing.Select(remote =>
        {
            var inte = InteFile.TryParse(remote.Name, remote.Size, out _);
            return new ListedFile(context.RunId, remote.Name, remote.Size, remote.LastWriteUtc, inte?.Account, inte?.TypeName, inte?.Timestamp,
                selected.Contains(remote.Name), reasons.GetValueOrDefault(remote.Name), at);
        }).ToList();
        await store.SaveListingAsync(context.RunId, rows, cancellationToken);
        LogListed(logger, context.RunId, listing.Count, selection.Selected.Count, selection.Ignored);

        // Nothing selected (an empty or unreadable-looking listing) deletes nothing: the folder stays as it is.
        return selection.Selected.Count == 0 ? [] : [.. selection.Selected.Select(f => f.Name), CleanupItem];
    }

    public async Task<BatchResult> ExecuteBatchAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var details = new JsonObject();
        var processed = 0;
        foreach (var item in batch.Items)
        {
            var result = item == CleanupItem
                ? await CleanUpAsync(batch, cancellationToken)
                : await RelayFileAsync(batch, item, cancellationToken);
            processed += result.ItemsProcessed;
            foreach (var (key, value) in result.Details!)
            {
                details[key] = value?.DeepClone();
            }
        }

        return new BatchResult(processed, Details: details);
    }

    /// <summary>Downloads, uploads and verifies one selected file, recording how it went.</summary>
    private async Task<BatchResult> RelayFileAsync(JobBatchContext batch, string name, CancellationToken cancellationToken)
    {
        var listed = (await store.GetListingAsync(batch.RunId, cancellationToken)).SingleOrDefault(f => f.Name == name && f.Selected)
            ?? throw new PermanentBatchException($"{name} is not among the files run {batch.RunId} selected.");
        var target = $"{options.Value.DropboxFolder}/{name}";
        var upload = new FileUpload(batch.RunId, name, listed.Account!, listed.FileType!, listed.Size, FileUpload.Failed, null, target, 0, null, time.GetUtcNow());
        try
        {
            var downloaded = await DownloadAsync(new RemoteFile(name, listed.Size, listed.ModifiedAt), DownloadDirectoryOf(batch.Request), cancellationToken);
            string hash;
            await using (var local = File.OpenRead(downloaded.LocalPath))
            {
                hash = DropboxContentHash.Compute(local);
            }

            var (stored, throttled) = await UploadAsync(target, downloaded, batch, cancellationToken);
            if (!string.Equals(stored.ContentHash, hash, StringComparison.Ordinal))
            {
                throw new UpstreamException(DropboxClient.Upstream,
                    $"Dropbox holds {target} with content hash {stored.ContentHash}, not the uploaded file's {hash}: uploading again.",
                    statusCode: null, isTransient: true, errorCode: "content_hash_mismatch");
            }

            await batch.StoreAsync(async t =>
            {
                await store.RecordUploadAsync(upload with { Status = FileUpload.Uploaded, ContentHash = hash, UpdatedAt = time.GetUtcNow() }, t);
                return true;
            }, cancellationToken);
            LogUploaded(logger, batch.RunId, name, listed.Size, throttled);
            return new BatchResult(1, Details: new JsonObject
            {
                ["uploaded"] = 1,
                ["downloaded"] = downloaded.Skipped ? 0 : 1,
                ["bytes"] = listed.Size,
                ["throttled"] = throttled,
            });
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(upload with { Error = exception.Message, UpdatedAt = time.GetUtcNow() });
            throw;
        }
    }

    private async Task<DownloadedFile> DownloadAsync(RemoteFile file, string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await sftp.DownloadAsync(file, directory, cancellationToken);
        }
        catch (UpstreamException exception) when (exception.Upstream == CredinvestSftpClient.Upstream)
        {
            // Not Dropbox's failure: kept out of its circuit breaker, retried or not as Credinvest's answer says.
            var message = $"Downloading {file.Name} from Credinvest failed: {exception.Message}";
            throw exception.IsTransient ? new RelayDownloadException(message, exception) : new PermanentBatchException(message, exception);
        }
    }

    /// <summary>The upload, waiting out each 429 in full (the limiter paused until it ends) without spending an attempt.</summary>
    private async Task<(DropboxMetadata Stored, int Throttled)> UploadAsync(string target, DownloadedFile file, JobBatchContext batch, CancellationToken cancellationToken)
    {
        var limiter = grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For(DropboxClient.Upstream, "default"));
        var throttled = 0;
        while (true)
        {
            try
            {
                await using var content = File.OpenRead(file.LocalPath);
                var stored = await dropbox.UploadAsync(target, content, file.Size, overwrite: true, cancellationToken);
                await EndedAsync();
                return (stored, throttled);
            }
            catch (UpstreamException exception) when (exception.StatusCode == 429 && throttled < options.Value.MaxThrottledWaits)
            {
                await EndedAsync();
                throttled++;
                var wait = exception.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(throttled - 1, 5))));
                LogThrottled(logger, batch.RunId, file.Name, exception.ErrorCode, wait);
                await limiter.PauseUntil(time.GetUtcNow() + wait);
                await limiter.WaitForSlotAsync(time, cancellationToken);
            }
        }

        async Task EndedAsync()
        {
            // The first call's end is the runtime's to report; a retried call's end is reported here.
            if (throttled == 0)
            {
                await batch.UpstreamCallEnded();
            }
            else
            {
                await limiter.Completed(time.GetUtcNow());
            }
        }
    }

    /// <summary>
    /// The last batch: when every selected file is uploaded and Dropbox shows each with its hash, deletes the folder's
    /// other files and (asked for) the downloaded copies whose hash matched. Otherwise deletes nothing, and says why.
    /// </summary>
    private async Task<BatchResult> CleanUpAsync(JobBatchContext batch, CancellationToken cancellationToken)
    {
        var selected = (await store.GetListingAsync(batch.RunId, cancellationToken)).Where(f => f.Selected).ToList();
        var uploads = (await store.GetUploadsAsync(batch.RunId, cancellationToken)).ToDictionary(u => u.Name, StringComparer.Ordinal);
        var missing = selected.Where(f => !uploads.TryGetValue(f.Name, out var u) || u.Status != FileUpload.Uploaded).ToList();
        if (missing.Count > 0)
        {
            var accounts = string.Join(", ", missing.Select(f => $"Account {f.Account} - {f.FileType}"));
            LogKept(logger, batch.RunId, accounts);
            return Cleanup(deleted: 0, localDeleted: 0, kept: $"{missing.Count} of {selected.Count} files were not uploaded ({accounts}): nothing deleted");
        }

        var folder = options.Value.DropboxFolder;
        var entries = await dropbox.ListFolderAsync(folder, cancellationToken);
        var byName = entries.Where(e => e.IsFile).ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        var unverified = selected.Where(f => !byName.TryGetValue(f.Name, out var entry) || entry.ContentHash != uploads[f.Name].ContentHash).Select(f => f.Name).ToList();
        if (unverified.Count > 0)
        {
            return Cleanup(0, 0, $"Dropbox's {folder} does not hold {string.Join(", ", unverified)} as uploaded (changed since?): nothing deleted");
        }

        var names = selected.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = entries.Where(e => e.IsFile && !names.Contains(e.Name)).Select(e => e.PathDisplay).ToList();
        var deleted = 0;
        var failures = new List<string>();
        foreach (var chunk in stale.Chunk(DropboxClient.MaxDeleteBatch))
        {
            foreach (var result in await dropbox.DeleteBatchAsync(chunk, cancellationToken))
            {
                if (result.Succeeded)
                {
                    deleted++;
                }
                else
                {
                    failures.Add($"{result.Path}: {result.Failure}");
                }
            }
        }

        var localDeleted = 0;
        if (DeleteAfterUpload(batch.Request))
        {
            var directory = DownloadDirectoryOf(batch.Request);
            foreach (var file in selected)
            {
                var local = Path.Combine(directory, file.Name);
                if (File.Exists(local) && LocalHash(local) == uploads[file.Name].ContentHash)
                {
                    File.Delete(local);
                    localDeleted++;
                }
            }
        }

        LogCleaned(logger, batch.RunId, deleted, folder, localDeleted);
        if (failures.Count > 0)
        {
            throw new UpstreamException(DropboxClient.Upstream, $"Dropbox did not delete {failures.Count} of {stale.Count} old files: {string.Join("; ", failures)}",
                statusCode: null, isTransient: true);
        }

        return Cleanup(deleted, localDeleted, kept: null);
    }

    private static BatchResult Cleanup(int deleted, int localDeleted, string? kept)
    {
        var details = new JsonObject { ["deleted"] = deleted, ["local_deleted"] = localDeleted };
        if (kept is not null)
        {
            details["kept"] = kept;
        }

        return new BatchResult(0, Details: details);
    }

    private async Task RecordFailureAsync(FileUpload failed)
    {
        try
        {
            await store.RecordUploadAsync(failed with { Status = FileUpload.Failed }, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The report of a failure is best effort: the batch's own failure (and its dead letter) is what counts.
            LogFailureNotRecorded(logger, failed.RunId, failed.Name, exception.Message);
        }
    }

    /// <summary>The folder a run downloads to: <c>download_dir</c> under <see cref="RelayOptions.DownloadDirectory"/>, or that root.</summary>
    private string DownloadDirectoryOf(RunRequest request)
    {
        var root = Path.GetFullPath(options.Value.DownloadDirectory);
        if (request.Parameters?.GetValueOrDefault(SyncKeys.DownloadDir) is not { } folder)
        {
            return root;
        }

        if (SyncKeys.DownloadDirProblem(folder) is { } problem)
        {
            throw new PermanentBatchException($"download_dir: {problem}");
        }

        var full = Path.GetFullPath(Path.Combine(root, folder));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new PermanentBatchException($"download_dir: '{folder}' does not lie under Relay:DownloadDirectory.");
    }

    private static bool DeleteAfterUpload(RunRequest request) =>
        request.Parameters?.GetValueOrDefault(SyncKeys.DeleteAfterUpload) is { } text && bool.TryParse(text, out var delete) && delete;

    private static string LocalHash(string path)
    {
        using var stream = File.OpenRead(path);
        return DropboxContentHash.Compute(stream);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {RunId}: Credinvest listed {Listed} files, {Selected} selected, {Ignored} not INTE files")]
    private static partial void LogListed(ILogger logger, Guid runId, int listed, int selected, int ignored);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {RunId}: {Name} ({Size} bytes) uploaded and verified after {Throttled} 429(s)")]
    private static partial void LogUploaded(ILogger logger, Guid runId, string name, long size, int throttled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {RunId}: Dropbox throttled the upload of {Name} ({Code}); waiting {Wait} in full")]
    private static partial void LogThrottled(ILogger logger, Guid runId, string name, string? code, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {RunId}: nothing deleted, because these were not uploaded: {Accounts}")]
    private static partial void LogKept(ILogger logger, Guid runId, string accounts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {RunId}: deleted {Deleted} old files from {Folder} and {LocalDeleted} downloaded copies")]
    private static partial void LogCleaned(ILogger logger, Guid runId, int deleted, string folder, int localDeleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {RunId}: could not record the failure of {Name}: {Reason}")]
    private static partial void LogFailureNotRecorded(ILogger logger, Guid runId, string name, string reason);
}

/// <summary>A download from Credinvest that failed in passing: retried by the runtime, but not Dropbox's failure.</summary>
public sealed class RelayDownloadException(string message, Exception inner) : Exception(message, inner);
