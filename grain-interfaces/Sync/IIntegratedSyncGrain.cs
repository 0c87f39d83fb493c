using Tributary.Jobs;

namespace Tributary.Sync;

/// <summary>
/// The daily integrated sync (key <see cref="SyncKeys.Daily"/>): Credinvest's INTE files to Dropbox, then the Vestr fee
/// sync, then the fee snapshots, each step skippable. A run is a run of the job <see cref="SyncKeys.SyncJob"/>, so one
/// runs at a time (a start while one runs gets the running one), its schedule is the job's (<c>10 17 * * *</c>,
/// Europe/Zurich, misfire <c>once</c>) and its history is the job's runs.
/// </summary>
[Alias("Tributary.Sync.IIntegratedSyncGrain")]
public interface IIntegratedSyncGrain : IGrainWithStringKey
{
    /// <summary>Starts a sync, or returns the running one (<see cref="RunTicket.Started"/> false).</summary>
    [Alias("Start")]
    Task<RunTicket> Start(SyncRequest request);

    /// <summary>The current or last sync run.</summary>
    [Alias("GetSnapshot")]
    Task<JobSnapshot> GetSnapshot();
}

/// <summary>What one sync does: the seed's command-line flags.</summary>
/// <param name="DownloadDir">A folder under <c>Relay:DownloadDirectory</c>, already checked (<see cref="SyncKeys.DownloadDirProblem"/>); null for that root.</param>
/// <param name="IdempotencyKey">The caller's <c>Idempotency-Key</c>: a retried start gets the run the first one started.</param>
[GenerateSerializer, Immutable, Alias("Tributary.Sync.SyncRequest")]
public sealed record SyncRequest(
    [property: Id(0)] bool SkipCredinvest = false,
    [property: Id(1)] bool SkipVestrFees = false,
    [property: Id(2)] bool SkipFeeSnapshots = false,
    [property: Id(3)] bool DeleteAfterUpload = false,
    [property: Id(4)] string? DownloadDir = null,
    [property: Id(5)] string? IdempotencyKey = null)
{
    /// <summary>The run parameters the job reads.</summary>
    public IReadOnlyDictionary<string, string> Parameters()
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SyncKeys.SkipParameter(SyncKeys.StepCredinvest)] = Text(SkipCredinvest),
            [SyncKeys.SkipParameter(SyncKeys.StepVestrFees)] = Text(SkipVestrFees),
            [SyncKeys.SkipParameter(SyncKeys.StepFeeSnapshots)] = Text(SkipFeeSnapshots),
            [SyncKeys.DeleteAfterUpload] = Text(DeleteAfterUpload),
        };
        if (DownloadDir is not null)
        {
            parameters[SyncKeys.DownloadDir] = DownloadDir;
        }

        return parameters;
    }

    private static string Text(bool value) => value ? "true" : "false";
}
