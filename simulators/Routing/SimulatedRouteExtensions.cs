namespace Tributary.Simulators.Routing;

/// <summary>Marks endpoints as simulated upstream routes.</summary>
public static class SimulatedRouteExtensions
{
    /// <summary>
    /// Names the endpoint for the fault layer and the request log, and registers the name so fault rules can be
    /// checked against it.
    /// </summary>
    public static TBuilder AsSimulatedRoute<TBuilder>(
        this TBuilder builder,
        IEndpointRouteBuilder endpoints,
        string name,
        IUpstreamErrorWriter? errors = null)
        where TBuilder : IEndpointConventionBuilder
    {
        endpoints.ServiceProvider.GetRequiredService<SimulatedRouteRegistry>().Add(name);
        return builder.WithMetadata(new SimulatedRoute(name, errors ?? ProblemDetailsErrorWriter.Instance));
    }
}
