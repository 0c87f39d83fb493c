using System.Collections.Concurrent;

namespace Tributary.Storage.Tests.Providers;

/// <summary>Which silos delivered reminder ticks to which ticker: one log per test, shared by its clusters' silos.</summary>
public sealed class TickLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _ticks = new();

    public void Record(string ticker, string silo) => _ticks.GetOrAdd(ticker, _ => new()).Enqueue(silo);

    /// <summary>The silos (address and generation) that delivered a tick to <paramref name="ticker"/>.</summary>
    public IReadOnlySet<string> SilosThatTicked(string ticker) =>
        _ticks.TryGetValue(ticker, out var ticks) ? ticks.ToHashSet() : new HashSet<string>();
}
