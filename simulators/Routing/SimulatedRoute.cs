namespace Tributary.Simulators.Routing;

/// <summary>
/// Endpoint metadata that marks an endpoint as a simulated upstream route: the fault layer and the request log
/// act only on endpoints carrying it.
/// </summary>
/// <param name="Name">The stable name fault rules and the request log use, such as <c>wealthx.alldossiers</c>.</param>
/// <param name="Errors">Writes error bodies the way this route's upstream does, so injected faults look real.</param>
public sealed record SimulatedRoute(string Name, IUpstreamErrorWriter Errors);
