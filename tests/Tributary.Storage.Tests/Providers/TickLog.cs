using System.Collections.Concurrent;

namespace Tributary.Storage.Tests.Providers;

/// <summary>Which silos delivered reminder ticks to which ticker (silos run in the test process).</summary>
public static class TickLog
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Ticks = new();

    public static void Record(string ticker, string silo) => Ticks.GetOrAdd(ticker, _ => new()).Enqueue(silo);

    /// <summary>The silos (address and generation) that delivered a tick to <paramref name="ticker"/>.</summary>
    public static IReadOnlySet<string> SilosThatTicked(string ticker) =>
        Ticks.TryGetValue(ticker, out var ticks) ? ticks.ToHashSet() : new HashSet<string>();
}
