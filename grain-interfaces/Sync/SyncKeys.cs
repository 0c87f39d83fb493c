namespace Tributary.Sync;

/// <summary>The names of the relay and the integrated sync: jobs, run parameters and steps, shared by silos and gateway.</summary>
public static class SyncKeys
{
    /// <summary>The Credinvest -> Dropbox relay job.</summary>
    public const string RelayJob = "credinvest_relay";

    /// <summary>The daily integrated sync's job: the steps below, one batch each, in order.</summary>
    public const string SyncJob = "integrated_sync";

    /// <summary>The one integrated sync there is, the key of its <c>IntegratedSyncGrain</c>.</summary>
    public const string Daily = "daily";

    public const string StepCredinvest = "credinvest";
    public const string StepVestrFees = "vestr_fees";
    public const string StepFeeSnapshots = "fee_snapshots";

    /// <summary>The steps in the order a sync takes them.</summary>
    public static readonly IReadOnlyList<string> Steps = [StepCredinvest, StepVestrFees, StepFeeSnapshots];

    /// <summary>Run parameter (<c>true</c>/<c>false</c>) of the relay and the sync: remove each downloaded file once every upload is verified.</summary>
    public const string DeleteAfterUpload = "delete_after_upload";

    /// <summary>Run parameter of the relay and the sync: a folder under <c>Relay:DownloadDirectory</c> to download into.</summary>
    public const string DownloadDir = "download_dir";

    /// <summary>The sync's run parameter that skips <paramref name="step"/>: <c>skip_credinvest</c>, <c>skip_vestr_fees</c>, <c>skip_fee_snapshots</c>.</summary>
    public static string SkipParameter(string step) => $"skip_{step}";

    /// <summary>The idempotency key a sync step starts its own run with: a step re-run after a crash joins that run.</summary>
    public static string StepRunKey(Guid syncRunId, string step) => $"{SyncJob}:{syncRunId}:{step}";

    /// <summary>
    /// Whether <paramref name="folder"/> may be a run's <c>download_dir</c>: a relative path of plain names (letters,
    /// digits, <c>-</c>, <c>_</c>, <c>.</c>; no <c>..</c>), read under <c>Relay:DownloadDirectory</c>. Null when it may,
    /// else the reason.
    /// </summary>
    public static string? DownloadDirProblem(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (folder.Length is 0 or > 200)
        {
            return "Must be 1..200 characters.";
        }

        var parts = folder.Split('/');
        foreach (var part in parts)
        {
            if (part.Length == 0 || part is "." or ".." || !part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return $"A folder under Relay:DownloadDirectory: plain names (letters, digits, - _ .) joined by /, no leading /, no '..'; was '{(folder.Length <= 40 ? folder : folder[..40] + "…")}'.";
            }
        }

        return null;
    }
}
