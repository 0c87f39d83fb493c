namespace Tributary.Scheduling;

/// <summary>The names of the jobs that have a schedule, for listing (key <see cref="Key"/>).</summary>
/// <remarks>Each schedule grain adds its job before it stores its first schedule, so the directory never misses one.</remarks>
[Alias("Tributary.Scheduling.IScheduleDirectoryGrain")]
public interface IScheduleDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The one directory's key (not hex-like, so it cannot collide in AdoNet storage).</summary>
    public const string Key = "schedules";

    /// <summary>Adds <paramref name="job"/>; idempotent.</summary>
    [Alias("Add")]
    Task Add(string job);

    /// <summary>The jobs with a schedule, in ordinal order.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
