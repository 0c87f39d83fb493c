namespace Tributary.Storage.Vestr;

/// <summary>One fee of a <see cref="FeeSnapshot"/>: its booking date, amount and currency.</summary>
public sealed record LatestFee(DateOnly BookingDate, decimal Amount, string Currency);
