namespace Tributary.Testing;

/// <summary>
/// Polling with a deadline, for conditions that another process makes true (a silo joining, a reminder
/// firing). It never sleeps to "let things settle": it returns as soon as the condition holds and fails with
/// a sentence saying what never happened.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits until <paramref name="condition"/> returns true.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string whatShouldHappen, TimeSpan? timeout = null)
    {
        await ValueAsync(async () => await condition() ? true : (bool?)null, whatShouldHappen, timeout);
    }

    /// <summary>Waits until <paramref name="probe"/> returns a non-null value and returns it.</summary>
    /// <remarks>Exceptions from the probe count as "not yet"; the last one is reported if time runs out.</remarks>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, string whatShouldHappen, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                var value = await probe();
                if (value is not null)
                {
                    return value;
                }
            }
            catch (Exception exception)
            {
                last = exception;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var because = last is null ? string.Empty : $" Last error: {last.GetType().Name}: {last.Message}";
                throw new TimeoutException($"Within {(timeout ?? DefaultTimeout).TotalSeconds:0} s, this never happened: {whatShouldHappen}.{because}");
            }

            // A pause between probes, not a wait for the outcome: the loop exits on the first success.
            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(500, pause.TotalMilliseconds * 2));
        }
    }
}
