namespace Tributary.Simulators.Vestr;

/// <summary>One page of <c>feeDeductions</c> (the GraphQL type <c>FeeDeductionPage</c>).</summary>
/// <param name="NextCursor">The cursor of the page's last item when <paramref name="HasMore"/>; else null.</param>
public sealed record FeeDeductionPage(IReadOnlyList<FeeDeduction> Items, string? NextCursor, bool HasMore);
