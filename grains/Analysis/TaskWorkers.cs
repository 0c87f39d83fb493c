using Microsoft.Extensions.Options;

namespace Tributary.Analysis;

/// <summary>
/// This silo's workers (<c>Tasks:WorkersPerSilo</c>): how many sections it analyses at once. It also knows the silo's
/// demand on them: sections being analysed, sections waiting for a worker, and sections of tasks this silo took from the
/// queue that have not asked for a worker yet. <see cref="AnalysisTaskDispatcher"/> takes the next task by that demand.
/// With an upstream provider, a worker is handed out no sooner than <c>Tasks:UpstreamStartSpacing</c> after the one
/// before it, so workers freed together start their calls spread out rather than in one burst.
/// </summary>
public sealed class TaskWorkers : IDisposable
{
    /// <summary>A task taken here whose sections never ask for a worker here (its run went to another silo) stops counting after this.</summary>
    public static readonly TimeSpan ExpectedFor = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, (int Sections, long Since)> _expected = [];
    private readonly long _spacingTicks;
    private int _expectedSections;
    private int _waiting;

    // The earliest timestamp (TimeProvider ticks) the next worker may start at, when starts are spaced.
    private long _nextStart;

    public TaskWorkers(IOptions<TaskOptions> options, IAnalysisProvider provider, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(time);
        Count = options.Value.WorkersPerSilo;
        _slots = new SemaphoreSlim(Count, Count);
        _time = time;
        Spacing = provider.Upstream is null ? TimeSpan.Zero : options.Value.UpstreamStartSpacing;
        _spacingTicks = (long)(Spacing.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The least time between two starts on this silo: <c>Tasks:UpstreamStartSpacing</c> with an upstream provider, else none.</summary>
    public TimeSpan Spacing { get; }

    /// <summary>Raised on the releasing thread whenever a worker is given back.</summary>
    public event Action? Freed;

    /// <summary>The silo's workers.</summary>
    public int Count { get; }

    /// <summary>Sections being analysed on this silo now.</summary>
    public int Busy => Count - _slots.CurrentCount;

    /// <summary>Sections on this silo waiting for a worker.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Sections analysed, waiting, or of tasks taken here and still on their way to a worker.</summary>
    public int Demand
    {
        get
        {
            lock (_lock)
            {
                DropExpired();
                return Busy + Waiting + _expectedSections;
            }
        }
    }

    /// <summary>This silo took a task of <paramref name="sections"/> sections from the queue: they count until they ask for a worker.</summary>
    public void Expect(Guid taskId, int sections)
    {
        lock (_lock)
        {
            _expectedSections -= _expected.TryGetValue(taskId, out var before) ? before.Sections : 0;
            _expected[taskId] = (sections, _time.GetTimestamp());
            _expectedSections += sections;
        }
    }

    /// <summary>The task will not come here after all (its run did not start).</summary>
    public void Forget(Guid taskId)
    {
        lock (_lock)
        {
            if (_expected.Remove(taskId, out var entry))
            {
                _expectedSections -= entry.Sections;
            }
        }
    }

    /// <summary>Waits for a worker for one of <paramref name="taskId"/>'s sections; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(Guid taskId, CancellationToken cancellationToken)
    {
        // Counted as waiting before it stops counting as expected, so the demand never dips in between.
        Interlocked.Increment(ref _waiting);
        Arrived(taskId);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        var slot = new Slot(this);
        if (_spacingTicks > 0)
        {
            try
            {
                await SpaceAsync(cancellationToken);
            }
            catch
            {
                slot.Dispose();
                throw;
            }
        }

        return slot;
    }

    /// <summary>Waits for this start's turn: one spacing after the start before it.</summary>
    private async Task SpaceAsync(CancellationToken cancellationToken)
    {
        long wait;
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var start = Math.Max(now, _nextStart);
            _nextStart = start + _spacingTicks;
            wait = start - now;
        }

        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait / (double)_time.TimestampFrequency), _time, cancellationToken);
        }
    }

    public void Dispose() => _slots.Dispose();

    private void Arrived(Guid taskId)
    {
        lock (_lock)
        {
            if (_expected.TryGetValue(taskId, out var entry))
            {
                _expectedSections--;
                if (entry.Sections <= 1)
                {
                    _expected.Remove(taskId);
                }
                else
                {
                    _expected[taskId] = (entry.Sections - 1, entry.Since);
                }
            }
        }
    }

    private void DropExpired()
    {
        if (_expected.Count == 0)
        {
            return;
        }

        List<Guid>? expired = null;
        foreach (var (taskId, entry) in _expected)
        {
            if (_time.GetElapsedTime(entry.Since) >= ExpectedFor)
            {
                (expired ??= []).Add(taskId);
            }
        }

        foreach (var taskId in expired ?? [])
        {
            _expectedSections -= _expected[taskId].Sections;
            _expected.Remove(taskId);
        }
    }

    private void Release()
    {
        _slots.Release();
        Freed?.Invoke();
    }

    private sealed class Slot(TaskWorkers workers) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                workers.Release();
            }
        }
    }
}
