namespace Tributary.Storage.Tests.Providers;

[GrainType("deletingnote")]
public sealed class DeletingNoteGrain(
    [PersistentState(NoteGrain.StateName, TestStorage.DeletingStorageName)] IPersistentState<NoteState> note) : Grain, IDeletingNoteGrain
{
    public async Task SetAsync(string text)
    {
        note.State.Text = text;
        await note.WriteStateAsync();
    }

    public Task<string?> GetAsync() => Task.FromResult(note.State.Text);

    public Task ClearAsync() => note.ClearStateAsync();
}
