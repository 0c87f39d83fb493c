namespace Tributary.Scheduling;

/// <inheritdoc cref="IScheduleDirectoryGrain"/>
[GrainType("scheduledirectory")]
public sealed class ScheduleDirectoryGrain(
    [PersistentState("schedules", StorageNames.GrainState)] IPersistentState<ScheduleDirectoryState> state) : Grain, IScheduleDirectoryGrain
{
    public async Task Add(string job)
    {
        var index = state.State.Jobs.BinarySearch(job, StringComparer.Ordinal);
        if (index >= 0)
        {
            return;
        }

        state.State.Jobs.Insert(~index, job);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Jobs]);
}
