namespace Tributary.Connectors.Vestr;

/// <summary>One fee Vestr deducted from a product (GraphQL <c>FeeDeduction</c>; the schema is an assumption, see PROTOCOLS.md).</summary>
/// <param name="Id">Vestr's id of the deduction: the key to deduplicate on.</param>
/// <param name="FeeType"><c>MANAGEMENT</c>, <c>PERFORMANCE</c> or <c>CUSTODY</c>; kept as sent so a new type is not lost.</param>
public sealed record FeeDeduction(
    string Id,
    DateOnly BookingDate,
    decimal Amount,
    string Currency,
    string FeeType,
    string ProductIsin,
    string? ProductName,
    decimal? OutstandingQuantity);
