namespace Tributary.Storage.Vestr;

/// <summary>A daily or monthly summary row: the fees of one product, type and currency in one period.</summary>
/// <param name="Period">The day, or the first day of the month.</param>
public sealed record FeeSummary(DateOnly Period, string ProductIsin, string FeeType, string Currency, decimal TotalAmount, int RecordCount);
