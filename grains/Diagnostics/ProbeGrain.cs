namespace Tributary.Diagnostics;

/// <inheritdoc cref="IProbeGrain"/>
/// <remarks>Random placement spreads probes over every silo, so a handful of them exercises each one.</remarks>
[Orleans.Placement.RandomPlacement]
[GrainType("probe")]
public sealed class ProbeGrain(
    [PersistentState("probe", StorageNames.GrainState)] IPersistentState<ProbeState> state,
    ILocalSiloDetails silo,
    TimeProvider time) : Grain, IProbeGrain
{
    public async Task<ProbeReading> Write(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        state.State.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return Reading();
    }

    public Task<ProbeReading> Read() => Task.FromResult(Reading());

    private ProbeReading Reading() => new(
        ProbeKey.NameOf(this.GetPrimaryKeyString()),
        state.State.Value,
        state.State.Writes,
        state.State.UpdatedAt,
        silo.SiloAddress.ToParsableString());
}
