namespace Tributary.Storage.Vestr;

/// <summary>The lifetime fees of one product in one currency.</summary>
/// <param name="ProductName">The name on the product's latest record that has one (any currency).</param>
public sealed record ProductTotal(
    string ProductIsin,
    string Currency,
    string? ProductName,
    decimal TotalAmount,
    decimal ManagementTotal,
    decimal PerformanceTotal,
    decimal CustodyTotal,
    int RecordCount,
    DateOnly FirstBookingDate,
    DateOnly LastBookingDate);
