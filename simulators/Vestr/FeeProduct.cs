namespace Tributary.Simulators.Vestr;

/// <summary>A product whose fees are deducted: its identity and the scale of its fees.</summary>
/// <param name="Index">Position in the catalog; seeds the product's fees.</param>
/// <param name="Name">Null for some products: the schema's <c>productName</c> is nullable and clients must cope.</param>
/// <param name="ManagementCents">Typical daily management fee, in cents.</param>
/// <param name="BaseQuantity">Typical outstanding units.</param>
public sealed record FeeProduct(int Index, string Isin, string? Name, string Currency, long ManagementCents, long BaseQuantity);
