namespace Tributary.Simulators.Vestr;

/// <summary>One deduction in the admin dump, with the same fields and JSON as the GraphQL type.</summary>
public sealed record FeeDeductionEntry(
    string Id,
    DateOnly BookingDate,
    decimal Amount,
    string Currency,
    string FeeType,
    string ProductIsin,
    string? ProductName,
    decimal? OutstandingQuantity)
{
    public static FeeDeductionEntry Of(FeeDeduction deduction) => new(
        deduction.Id,
        deduction.BookingDate,
        deduction.Amount,
        deduction.Currency,
        FeeTypes.Name(deduction.FeeType),
        deduction.ProductIsin,
        deduction.ProductName,
        deduction.OutstandingQuantity);
}
