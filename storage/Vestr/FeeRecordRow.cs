namespace Tributary.Storage.Vestr;

/// <summary>A fee record as fetched from Vestr, to be stored by <see cref="VestrFeeStore.UpsertAsync"/>.</summary>
/// <param name="Id">Vestr's id of the fee record: the key a re-fetched record is matched by.</param>
/// <param name="Amount">Stored as <c>numeric(20,4)</c>.</param>
/// <param name="FeeType">One of <see cref="FeeTypes"/>.</param>
/// <param name="OutstandingQuantity">The product's outstanding quantity on the booking date, when Vestr reports it.</param>
public sealed record FeeRecordRow(
    string Id,
    DateOnly BookingDate,
    decimal Amount,
    string Currency,
    string FeeType,
    string ProductIsin,
    string? ProductName,
    decimal? OutstandingQuantity);
