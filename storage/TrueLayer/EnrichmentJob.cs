namespace Tributary.Storage.TrueLayer;

/// <summary>An enrichment job as stored in <c>truelayer_enrichment_jobs</c>.</summary>
public sealed record EnrichmentJob(
    Guid JobId, Guid? ImportJobId, string Owner, IReadOnlyList<string> AccountIds, DateOnly? FromDate, DateOnly? ToDate, string Status, int Categorised,
    string? Error, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
