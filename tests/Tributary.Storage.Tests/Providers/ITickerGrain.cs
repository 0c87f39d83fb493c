namespace Tributary.Storage.Tests.Providers;

/// <summary>A grain with a reminder stored through our schema.</summary>
[Alias("Tributary.Storage.Tests.Providers.ITickerGrain")]
public interface ITickerGrain : IGrainWithStringKey
{
    [Alias("StartAsync")]
    Task StartAsync(TimeSpan period);
}
