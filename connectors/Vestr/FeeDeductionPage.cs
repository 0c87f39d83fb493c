namespace Tributary.Connectors.Vestr;

/// <summary>One page of fee deductions; ask for the next with <see cref="NextCursor"/> while <see cref="HasMore"/>.</summary>
public sealed record FeeDeductionPage(IReadOnlyList<FeeDeduction> Items, string? NextCursor, bool HasMore);
