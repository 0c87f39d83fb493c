namespace Tributary.Simulators.Vestr;

/// <summary><c>GET /_admin/vestr</c>: the data's extent, corrections made and rate-limited answers left.</summary>
public sealed record VestrSnapshot(int Products, DateOnly From, DateOnly To, int Corrections, int RateLimitedRemaining);
