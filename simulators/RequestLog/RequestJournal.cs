using Microsoft.Extensions.Options;

namespace Tributary.Simulators.RequestLog;

/// <summary>
/// The bounded, thread-safe log of requests to simulated routes that tests read to see what a client really sent
/// and what it was answered.
/// </summary>
public sealed class RequestJournal(IOptions<RequestLogOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();
    private readonly int _capacity = options.Value.Capacity;
    private long _lastSequence;

    /// <summary>Appends an entry, assigning its sequence number, and drops the oldest beyond the capacity.</summary>
    public RequestLogEntry Record(RequestLogEntry entry)
    {
        lock (_gate)
        {
            var numbered = entry with { Sequence = ++_lastSequence };
            _entries.Enqueue(numbered);
            while (_entries.Count > _capacity)
            {
                _entries.Dequeue();
            }

            return numbered;
        }
    }

    /// <summary>Entries in arrival order, optionally for one route and at or after a time.</summary>
    public IReadOnlyList<RequestLogEntry> Read(string? route = null, DateTimeOffset? since = null)
    {
        lock (_gate)
        {
            return
            [
                .. _entries.Where(entry =>
                    (route is null || string.Equals(entry.Route, route, StringComparison.Ordinal))
                    && (since is null || entry.TimeUtc >= since)),
            ];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
