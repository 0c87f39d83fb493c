namespace Tributary.Storage.Tests.Providers;

/// <summary>A grain whose only job is to keep a note in grain state stored through our schema.</summary>
public interface INoteGrain : IGrainWithStringKey
{
    Task SetAsync(string text);

    Task<string?> GetAsync();

    Task ClearAsync();

    /// <summary>The silo the activation runs on.</summary>
    Task<string> GetHostAsync();
}
