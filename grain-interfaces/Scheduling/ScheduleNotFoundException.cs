namespace Tributary.Scheduling;

/// <summary>The job is not registered, or has no schedule (the API's 404).</summary>
[GenerateSerializer, Alias("Tributary.Scheduling.ScheduleNotFoundException")]
public sealed class ScheduleNotFoundException : Exception
{
    public ScheduleNotFoundException()
    {
    }

    public ScheduleNotFoundException(string message)
        : base(message)
    {
    }

    public ScheduleNotFoundException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>No job named <paramref name="job"/> is registered.</summary>
    public static ScheduleNotFoundException UnknownJob(string job) =>
        new($"There is no job named '{job}'. GET /api/schedules lists the scheduled jobs.") { Job = job };

    /// <summary>The job exists but has no schedule.</summary>
    public static ScheduleNotFoundException NoSchedule(string job) =>
        new($"Job '{job}' has no schedule. PUT /api/schedules/{job} with a cron creates one.") { Job = job };

    /// <summary>The job has no configured schedule (neither <c>Jobs:{job}:Schedule</c> nor its domain's) to return to.</summary>
    public static ScheduleNotFoundException NoDefault(string job) =>
        new($"Job '{job}' has no configured schedule to return to (no Jobs:{job}:Schedule:Cron and no default of its domain).") { Job = job };

    [Id(0)]
    public string Job { get; init; } = string.Empty;
}
