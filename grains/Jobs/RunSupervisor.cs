using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// Makes sure every run that exists is being driven. Each silo, every <see cref="JobRuntimeOptions.SweepPeriod"/> and at
/// once when the cluster declares a silo dead, asks the job grain of each active run to ensure its loop runs: the grain of
/// a run whose silo died activates on a survivor and resumes from the checkpoint, and a run whose row was written just
/// before its silo died is adopted. The watchdog reminder stays as the backstop.
/// </summary>
/// <remarks>Calls are idempotent (<see cref="IJobGrain.EnsureRunning"/> does nothing for a loop that runs), so every silo may sweep.</remarks>
public sealed partial class RunSupervisor(
    IClusterMembershipService membership,
    JobRunStore store,
    IGrainFactory grains,
    IOptions<JobRuntimeOptions> options,
    TimeProvider time,
    ILogger<RunSupervisor> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Channel<string> _wake = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task _work = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RunSupervisor), ServiceLifecycleStage.Active, Start, StopAsync);

    /// <summary>Sweeps now (tests, and a silo that just saw a death).</summary>
    public void Wake(string reason) => _wake.Writer.TryWrite(reason);

    private Task Start(CancellationToken cancellationToken)
    {
        _work = Task.WhenAll(
            Task.Run(() => WatchMembershipAsync(_stop.Token), CancellationToken.None),
            Task.Run(() => SweepLoopAsync(_stop.Token), CancellationToken.None));
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _work.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stop.Dispose();

    private async Task WatchMembershipAsync(CancellationToken cancellationToken)
    {
        try
        {
            ClusterMembershipSnapshot? previous = null;
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var died = previous is null
                    ? []
                    : snapshot.Members.Values
                        .Where(m => m.Status == SiloStatus.Dead && previous.Members.TryGetValue(m.SiloAddress, out var before) && before.Status != SiloStatus.Dead)
                        .Select(m => m.SiloAddress)
                        .ToList();
                if (died.Count > 0)
                {
                    LogSiloDied(logger, died);

                    Wake("a silo died");
                }

                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var period = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                period.CancelAfter(options.Value.SweepPeriod);
                await ((Task)_wake.Reader.WaitToReadAsync(period.Token).AsTask()).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
                _wake.Reader.TryRead(out _);
                if (!await SweepAsync(cancellationToken))
                {
                    // A grain could not be reached (its silo is dying, or the directory has not caught up): again shortly.
                    await Task.Delay(RetryAfterFailure, time, cancellationToken);
                    Wake("a sweep call failed");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogSweepFailed(logger, exception.Message);
            }
        }
    }

    /// <summary>Asks the grain of every active run to drive it; false when a call failed.</summary>
    public async Task<bool> SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Job, string? RunKey, Guid RunId)> active;
        try
        {
            active = await store.ListActiveRunsAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFault.IsUnavailable(exception))
        {
            // Nothing can run without the database; the next sweep looks again.
            return true;
        }

        var calls = active.Select(async run =>
        {
            try
            {
                await grains.GetGrain<IJobGrain>(JobKey.For(run.Job, run.RunKey)).EnsureRunning().WaitAsync(CallTimeout, cancellationToken);
                return true;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogEnsureFailed(logger, run.Job, run.RunId, exception);

                return false;
            }
        });
        return (await Task.WhenAll(calls)).All(ok => ok);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo(s) {Silos} declared dead: making sure their runs resume elsewhere")]
    private static partial void LogSiloDied(ILogger logger, IReadOnlyList<SiloAddress> silos);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {Job}/{RunId} could not be reached yet; trying again shortly")]
    private static partial void LogEnsureFailed(ILogger logger, string job, Guid runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run supervisor sweep failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
