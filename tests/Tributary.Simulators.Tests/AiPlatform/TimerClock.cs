using Microsoft.Extensions.Time.Testing;

namespace Tributary.Simulators.Tests.AiPlatform;

/// <summary>
/// A fake clock that also says when a timer of a given due time is created, so a test can move the clock once the
/// simulator is waiting on it, without polling and without real time passing.
/// </summary>
public sealed class TimerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Created)> _waits = [];

    /// <summary>Completes when a timer due in <paramref name="dueTime"/> has been created (after this call).</summary>
    public Task TimerCreated(TimeSpan dueTime)
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waits.Add((dueTime, created));
        }

        return created.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            foreach (var wait in _waits.Where(wait => wait.DueTime == dueTime).ToList())
            {
                _waits.Remove(wait);
                wait.Created.TrySetResult();
            }
        }

        return timer;
    }
}
