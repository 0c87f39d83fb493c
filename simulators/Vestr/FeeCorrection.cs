namespace Tributary.Simulators.Vestr;

/// <summary>
/// A late correction: a deduction's amount changed after it was first served, or (a rebooking) the deduction moved to
/// another product, its amount unchanged.
/// </summary>
public sealed record FeeCorrection(
    string Id, DateOnly BookingDate, decimal PreviousAmount, decimal Amount, string? PreviousProductIsin = null, string? ProductIsin = null);
