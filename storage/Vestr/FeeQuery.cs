namespace Tributary.Storage.Vestr;

/// <summary>A page of fee records in (booking date, id) order; every filter is optional.</summary>
/// <param name="From">First booking date, inclusive.</param>
/// <param name="To">Last booking date, inclusive.</param>
/// <param name="Limit">Records per page (at least 1).</param>
/// <param name="After">The <see cref="FeePage.NextCursor"/> of the previous page, or null for the first.</param>
public sealed record FeeQuery(string? Isin, DateOnly? From, DateOnly? To, string? FeeType, int Limit, string? After);
