namespace Tributary.Jobs;

/// <summary>Settings of the job runtime itself. Section <c>JobRuntime</c>.</summary>
public sealed class JobRuntimeOptions
{
    public const string Section = "JobRuntime";

    /// <summary>
    /// Period of the reminder that resumes a run whose silo died. It is a heartbeat, so it must be at least
    /// <c>Silo:MinimumReminderPeriod</c> (one minute in production).
    /// </summary>
    public TimeSpan WatchdogPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
