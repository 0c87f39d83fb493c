namespace Tributary.Storage.Tests.Providers;

/// <remarks>Random placement, so a two-silo cluster spreads notes over both silos.</remarks>
[Orleans.Placement.RandomPlacement]
[GrainType("note")]
public sealed class NoteGrain(
    [PersistentState(NoteGrain.StateName, TestStorage.StorageName)] IPersistentState<NoteState> note,
    ILocalSiloDetails silo) : Grain, INoteGrain
{
    public const string StateName = "note";

    public async Task SetAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(note.State.Text);

    public Task ClearAsync() => note.ClearStateAsync();

    public Task<string> GetHostAsync() => Task.FromResult(silo.SiloAddress.ToString());
}
