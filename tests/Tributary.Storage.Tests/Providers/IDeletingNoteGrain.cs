namespace Tributary.Storage.Tests.Providers;

/// <summary>Like <see cref="INoteGrain"/>, stored through a provider with <c>DeleteStateOnClear</c>.</summary>
public interface IDeletingNoteGrain : IGrainWithStringKey
{
    Task SetAsync(string text);

    Task<string?> GetAsync();

    Task ClearAsync();
}
