namespace Tributary.TrueLayer;

/// <summary>
/// One enrichment job (key: its id; an import's automatic enrichment uses the import's id): categorises the transactions
/// an import stored, or those of some accounts in a date range, as a run of the job runtime.
/// </summary>
[Alias("Tributary.TrueLayer.IEnrichmentGrain")]
public interface IEnrichmentGrain : IGrainWithGuidKey
{
    /// <summary>Checks the request, stores the job as queued and starts its run (once: a repeated call answers the same run).</summary>
    [Alias("Start")]
    Task<EnrichmentStartResult> Start(EnrichmentRequest request);
}

/// <summary>
/// What to categorise: the transactions import <paramref name="ImportJobId"/> first stored (its accounts), or those of
/// <paramref name="ConnectionId"/>'s accounts (all, or <paramref name="AccountIds"/>) booked from <paramref name="FromDate"/> to <paramref name="ToDate"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.EnrichmentRequest")]
public sealed record EnrichmentRequest(
    [property: Id(0)] string Owner,
    [property: Id(1)] bool IsAdmin,
    [property: Id(2)] Guid? ImportJobId,
    [property: Id(3)] string? ConnectionId,
    [property: Id(4)] IReadOnlyList<string>? AccountIds,
    [property: Id(5)] string? FromDate,
    [property: Id(6)] string? ToDate);

/// <summary>The started job, or the fields that were wrong.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.EnrichmentStartResult")]
public sealed record EnrichmentStartResult(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] Guid? RunId,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: Id(3)] string? Problem = null);
