namespace Tributary.Simulators.Vestr;

/// <summary>A late correction: a deduction's amount changed after it was first served.</summary>
public sealed record FeeCorrection(string Id, DateOnly BookingDate, decimal PreviousAmount, decimal Amount);
