namespace Tributary.Storage.Vestr;

/// <summary>The latest fees of one product (<c>fee_latest_snapshot</c>).</summary>
/// <remarks>"Latest" is the record with the greatest (booking date, id); a type the product was never charged is null.</remarks>
/// <param name="ProductName">The name on the product's latest record that has one.</param>
/// <param name="LatestType">The type of <paramref name="Latest"/>, the latest fee of any type.</param>
/// <param name="OutstandingQuantity">The outstanding quantity of the latest record that has one, booked on <paramref name="OutstandingQuantityDate"/>.</param>
public sealed record FeeSnapshot(
    string ProductIsin,
    string? ProductName,
    LatestFee? Management,
    LatestFee? Performance,
    LatestFee? Custody,
    LatestFee Latest,
    string LatestType,
    decimal? OutstandingQuantity,
    DateOnly? OutstandingQuantityDate,
    DateTimeOffset UpdatedAt);
