namespace Tributary.Jobs;

/// <summary>
/// Chooses the next batch size. Fixed unless <see cref="JobSettings.DynamicBatchSizing"/>: then it grows
/// by half after a fast clean batch and halves after a throttled or timed-out one, within [Min, Max].
/// </summary>
/// <remarks>Additive-increase would be gentler, but batches are few per run; halving reacts within one batch.</remarks>
public sealed class BatchSizer(JobSettings settings, int initial)
{
    private readonly object _gate = new();
    private int _current = Math.Clamp(initial, 1, Math.Max(1, settings.DynamicBatchSizing ? settings.MaxBatchSize : int.MaxValue));

    /// <summary>A batch under this duration counts as fast.</summary>
    public static readonly TimeSpan FastBatch = TimeSpan.FromSeconds(5);

    public int Current
    {
        get { lock (_gate) { return _current; } }
    }

    /// <summary>A batch succeeded on its first attempt in <paramref name="duration"/>.</summary>
    public void Succeeded(TimeSpan duration, int attempts)
    {
        if (!settings.DynamicBatchSizing || attempts > 1 || duration > FastBatch)
        {
            return;
        }

        lock (_gate)
        {
            _current = Math.Min(settings.MaxBatchSize, Math.Max(_current + 1, _current * 3 / 2));
        }
    }

    /// <summary>The upstream throttled (429) or timed out.</summary>
    public void Throttled()
    {
        if (!settings.DynamicBatchSizing)
        {
            return;
        }

        lock (_gate)
        {
            _current = Math.Max(settings.MinBatchSize, _current / 2);
        }
    }
}
