namespace Tributary.Simulators.Admin;

/// <summary>A body read by <see cref="AdminBody"/>: the value, or the 400 to send instead.</summary>
public sealed record AdminBodyRead<T>(T? Value, IResult? Error);
