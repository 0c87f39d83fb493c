namespace Tributary.Scheduling;

/// <summary>Durable state of the <see cref="ScheduleDirectoryGrain"/>.</summary>
/// <remarks>Stored rows carry this type's alias: keep it stable, a rename is a migration.</remarks>
[GenerateSerializer, Alias("Tributary.Scheduling.ScheduleDirectoryState")]
public sealed class ScheduleDirectoryState
{
    /// <summary>Job names, kept in ordinal order.</summary>
    [Id(0)] public List<string> Jobs { get; set; } = [];
}
