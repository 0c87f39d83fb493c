namespace Tributary.Storage.Tests.Providers;

/// <summary>A grain whose only job is to keep a note in grain state stored through our schema.</summary>
[Alias("Tributary.Storage.Tests.Providers.INoteGrain")]
public interface INoteGrain : IGrainWithStringKey
{
    [Alias("SetAsync")]
    Task SetAsync(string text);

    [Alias("GetAsync")]
    Task<string?> GetAsync();

    [Alias("ClearAsync")]
    Task ClearAsync();

    /// <summary>The silo the activation runs on.</summary>
    [Alias("GetHostAsync")]
    Task<string> GetHostAsync();
}
