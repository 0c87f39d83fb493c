namespace Tributary.Scheduling;

/// <summary>Settings of the scheduler. Section <c>Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    /// <summary>
    /// Period of each schedule's heartbeat reminder. At least <c>Silo:MinimumReminderPeriod</c> (one minute in
    /// production); tests lower both. Cron occurrences are found by the heartbeat, so a run starts up to one
    /// period after its occurrence.
    /// </summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How late an occurrence may be found and still count as on time (for <c>skip</c>). At least the heartbeat
    /// period, or on-time occurrences found by a slightly late tick would be skipped as misfires.
    /// </summary>
    public TimeSpan MisfireGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Every problem, each a sentence naming the setting.</summary>
    /// <param name="minimumReminderPeriod">The silo's <c>Silo:MinimumReminderPeriod</c>.</param>
    public IReadOnlyList<string> Validate(TimeSpan minimumReminderPeriod)
    {
        var problems = new List<string>();
        if (HeartbeatPeriod < minimumReminderPeriod)
        {
            problems.Add($"{Section}:{nameof(HeartbeatPeriod)} must be at least Silo:MinimumReminderPeriod ({minimumReminderPeriod}), was {HeartbeatPeriod}.");
        }

        if (MisfireGrace < HeartbeatPeriod)
        {
            problems.Add($"{Section}:{nameof(MisfireGrace)} must be at least {Section}:{nameof(HeartbeatPeriod)} ({HeartbeatPeriod}), was {MisfireGrace}; otherwise on-time occurrences are skipped as misfires.");
        }

        return problems;
    }
}
