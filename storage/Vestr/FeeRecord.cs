namespace Tributary.Storage.Vestr;

/// <summary>A stored fee record.</summary>
/// <param name="SyncId">The sync that inserted the record or last changed it.</param>
public sealed record FeeRecord(
    string Id,
    DateOnly BookingDate,
    decimal Amount,
    string Currency,
    string FeeType,
    string ProductIsin,
    string? ProductName,
    decimal? OutstandingQuantity,
    Guid? SyncId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
