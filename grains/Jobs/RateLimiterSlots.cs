namespace Tributary.Jobs;

/// <summary>How a caller waits for its turn at a <see cref="IRateLimiterGrain"/>: the runtime per batch, a domain per call.</summary>
public static class RateLimiterSlots
{
    /// <summary>How late after its slot a caller may still call; later, it reserves again.</summary>
    public static readonly TimeSpan LateWakeUp = TimeSpan.FromMilliseconds(50);

    /// <summary>Reserves one slot and sleeps until it comes, re-reserving when a Retry-After pause swallowed it.</summary>
    /// <remarks>
    /// A slot reserved before another caller met a 429 may fall inside the Retry-After pause, so after sleeping
    /// to its slot a caller asks when the latest pause ends and, if its slot lay before that, reserves again behind
    /// it. The end is asked for even once the pause has passed: a caller that wakes late, after the pause, would
    /// otherwise call on its stale slot beside the callers whose slots were placed right after the pause.
    /// </remarks>
    public static async Task WaitForSlotAsync(this IRateLimiterGrain limiter, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(time);
        while (true)
        {
            var wait = await limiter.Reserve();
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            // Read after the answer, so the estimate is never before the slot: a pause the reservation already waited
            // for is never mistaken for a newer one.
            var slot = time.GetUtcNow() + wait;
            await Task.Delay(wait, time, cancellationToken);
            if (ReferenceEquals(time, TimeProvider.System) && time.GetUtcNow() - slot > LateWakeUp)
            {
                // (Only on the wall clock: a test's fake clock jumps by design and wakes every sleeper "late" at once.)
                // Woke well after its slot (a stalled thread pool, a GC): the callers whose slots came next may be waking
                // at this same moment, and sending now would bunch their calls together at the upstream. A late caller
                // gives its slot up and takes the next free one instead.
                continue;
            }

            if (await limiter.LastPauseUntil() is not { } paused || paused <= slot)
            {
                return;
            }
        }
    }
}
