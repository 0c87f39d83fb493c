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

    /// <summary>
    /// How often every silo makes sure each run that is not final is being driven (and at once when a silo dies): the
    /// fast path of failover, with <see cref="WatchdogPeriod"/> as the backstop.
    /// </summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a run waits for our database to come back before its loop gives up (and is resumed later).</summary>
    public TimeSpan DatabaseOutageTolerance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>First wait before trying the database again; doubles up to <see cref="DatabaseRetryMaxDelay"/>.</summary>
    public TimeSpan DatabaseRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan DatabaseRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(3);
}
