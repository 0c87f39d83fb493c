using Tributary.Jobs;

namespace Tributary.Api.Endpoints;

/// <summary>
/// The job names the cluster knows, as the gateway last read them from the job catalog: a route naming another job is
/// a 404 at the gateway, without a grain call (an activation per typo would count as an exception on the dashboard).
/// </summary>
/// <remarks>
/// Jobs are registered by the silos' configuration, so the list changes only with a deployment. It is read again
/// after <see cref="Fresh"/>, and at most every <see cref="MissRefresh"/> when a name is not in it (a silo of a newer
/// deployment may know it already).
/// </remarks>
public sealed class KnownJobs(IClusterClient client, TimeProvider? time = null) : IDisposable
{
    /// <summary>How long a read list is trusted.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);

    /// <summary>The least time between two reads caused by unknown names.</summary>
    public static readonly TimeSpan MissRefresh = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _read = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>True when a silo has a job of this name.</summary>
    public async Task<bool> ContainsAsync(string job)
    {
        var now = _time.GetUtcNow();
        var snapshot = _snapshot;
        if (snapshot is not null && now - snapshot.ReadAt < Fresh && (snapshot.Names.Contains(job) || now - snapshot.ReadAt < MissRefresh))
        {
            return snapshot.Names.Contains(job);
        }

        await _read.WaitAsync();
        try
        {
            snapshot = _snapshot;
            if (snapshot is null || _time.GetUtcNow() - snapshot.ReadAt >= MissRefresh)
            {
                var jobs = await client.GetGrain<IJobCatalogGrain>(0).List();
                snapshot = _snapshot = new Snapshot(jobs.Select(j => j.Name).ToHashSet(StringComparer.Ordinal), _time.GetUtcNow());
            }

            return snapshot.Names.Contains(job);
        }
        finally
        {
            _read.Release();
        }
    }

    /// <summary>The 404 of a job no silo knows, in the words of <see cref="UnknownJobException"/>.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(string job) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown job", detail: new UnknownJobException(job).Message);

    public void Dispose() => _read.Dispose();

    private sealed record Snapshot(HashSet<string> Names, DateTimeOffset ReadAt);
}
