namespace Tributary.Storage.Tests.Providers;

/// <summary>Like <see cref="INoteGrain"/>, stored through a provider with <c>DeleteStateOnClear</c>.</summary>
[Alias("Tributary.Storage.Tests.Providers.IDeletingNoteGrain")]
public interface IDeletingNoteGrain : IGrainWithStringKey
{
    [Alias("SetAsync")]
    Task SetAsync(string text);

    [Alias("GetAsync")]
    Task<string?> GetAsync();

    [Alias("ClearAsync")]
    Task ClearAsync();
}
