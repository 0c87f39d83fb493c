namespace Tributary.Simulators.Vestr;

/// <summary>One fee deducted from a product (the GraphQL type <c>FeeDeduction</c>).</summary>
/// <param name="Id"><c>fee-{isin}-{yyyyMMdd}-{type}</c>, stable across processes.</param>
/// <param name="Amount">Positive, exactly 2 decimal places (scale 2).</param>
/// <param name="OutstandingQuantity">Units of the product outstanding on the booking day (whole units).</param>
public sealed record FeeDeduction(
    string Id,
    DateOnly BookingDate,
    decimal Amount,
    string Currency,
    FeeType FeeType,
    string ProductIsin,
    string? ProductName,
    decimal? OutstandingQuantity);
