namespace Tributary.Storage.Tests.Providers;

/// <summary>A grain with a reminder stored through our schema.</summary>
public interface ITickerGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);
}
