namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// One result of <c>/balance</c>: <paramref name="Current"/> counts settled transactions, <paramref name="Available"/>
/// also the pending ones.
/// </summary>
public sealed record BalanceResult(string Currency, decimal Available, decimal Current, DateTimeOffset UpdateTimestamp);
