namespace Tributary.Simulators.Routing;

/// <summary>
/// The names of every simulated route mapped in this process, so a fault rule naming a route that does not
/// exist is refused instead of silently never firing.
/// </summary>
/// <remarks>
/// Filled while endpoints are mapped, which happens before the host starts; start-up validation of configured
/// fault rules therefore sees the full set.
/// </remarks>
public sealed class SimulatedRouteRegistry
{
    private readonly Lock _gate = new();
    private readonly SortedSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Records a route name; names must be unique across all upstreams.</summary>
    public void Add(string name)
    {
        lock (_gate)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"The simulated route name '{name}' is mapped twice; route names must be unique.");
            }
        }
    }

    /// <summary>The registered names in ordinal order.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _names];
            }
        }
    }

    /// <summary>Whether a route of that name is mapped.</summary>
    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _names.Contains(name);
        }
    }
}
