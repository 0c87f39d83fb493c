namespace Tributary.Diagnostics;

/// <summary>
/// The cluster's membership as the answering silo holds it in memory. <c>/ping</c> asks this instead of the management
/// grain, whose <c>GetHosts</c> reads the membership table first and so fails while our database is down, when silos
/// are alive and working.
/// </summary>
[Alias("Tributary.Diagnostics.IMembershipViewGrain")]
public interface IMembershipViewGrain : IGrainWithIntegerKey
{
    /// <summary>How many silos the answering silo believes active.</summary>
    [Alias("ActiveSilos")]
    Task<int> ActiveSilos();
}
