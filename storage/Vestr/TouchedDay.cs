namespace Tributary.Storage.Vestr;

/// <summary>A product and booking date whose records an upsert changed: what <see cref="VestrFeeStore.RefreshAggregatesAsync"/> recomputes.</summary>
public sealed record TouchedDay(string ProductIsin, DateOnly Day);
