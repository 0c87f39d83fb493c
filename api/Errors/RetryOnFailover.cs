namespace Tributary.Api.Errors;

/// <summary>
/// Endpoint metadata: this non-GET route is safe for the gateway to call again when a silo died under it (it is
/// idempotent, e.g. a trigger carrying its <see cref="RequestIdempotency"/> key). GETs are always retried.
/// </summary>
public sealed class RetryOnFailover
{
    public static readonly RetryOnFailover Instance = new();

    private RetryOnFailover()
    {
    }
}

/// <summary>Marks routes as <see cref="RetryOnFailover"/>.</summary>
public static class RetryOnFailoverExtensions
{
    public static TBuilder RetriedOnFailover<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(RetryOnFailover.Instance);
}
