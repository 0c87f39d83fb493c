using Tributary.Scheduling;

namespace Tributary.WealthX;

/// <summary>
/// How a feed pulls, bound from the <c>WealthX</c> section next to the connector's settings (base URL, credentials,
/// <c>ApiBatchSize</c>): how many records a session takes, how far apart calls are, and when sessions run.
/// </summary>
public sealed class WealthXPullOptions
{
    public const string Section = "WealthX";

    /// <summary>Records a session takes before it stops until the next one (the seed's 14,000: 28 calls of 500).</summary>
    public int SessionSize { get; set; } = 14_000;

    /// <summary>The least time between two calls of the feed, cluster-wide (WealthX's contract: 1 s).</summary>
    public TimeSpan MinCallInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Added to <see cref="MinCallInterval"/> by the shared rate limiter, which counts the interval from the end of one
    /// call (its reply read) to the start of the next, so WealthX never sees two calls closer than the interval; the
    /// margin covers clock and timer granularity.
    /// </summary>
    public TimeSpan CallSpacingMargin { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>When sessions run: cron (5 fields, or 6 with seconds first); the seed ran three sessions a day.</summary>
    public string Schedule { get; set; } = "0 8,14,20 * * *";

    /// <summary>The IANA zone <see cref="Schedule"/> is read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The days the full pass is meant to take (the seed's <c>TARGET_DAYS</c>, 10): the projection's
    /// <c>total_capacity</c> and <c>safety_buffer_days</c> are measured against it. It changes no session.
    /// </summary>
    public int TargetDays { get; set; } = WealthXPullSettings.DefaultTargetDays;

    /// <summary>Every problem, each a sentence naming the setting.</summary>
    /// <param name="section">Where these settings live: <c>WealthX</c>, or a feed's <c>WealthX:Feeds:{name}</c>.</param>
    public IReadOnlyList<string> Validate(string section = Section)
    {
        var problems = new List<string>();
        if (SessionSize is < 1 or > 10_000_000)
        {
            problems.Add($"{section}:SessionSize must be 1..10000000, was {SessionSize}.");
        }

        if (TargetDays is < 1 or > 3_650)
        {
            problems.Add($"{section}:TargetDays must be 1..3650, was {TargetDays}.");
        }

        if (MinCallInterval <= TimeSpan.Zero || MinCallInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"{section}:MinCallInterval must be more than 00:00:00 and at most 01:00:00, was {MinCallInterval:c}.");
        }

        if (CallSpacingMargin < TimeSpan.Zero || CallSpacingMargin > TimeSpan.FromSeconds(10))
        {
            problems.Add($"{section}:CallSpacingMargin must be 00:00:00..00:00:10, was {CallSpacingMargin:c}.");
        }

        foreach (var (field, messages) in CronSchedule.Validate(Schedule, TimeZone, MisfirePolicy.Skip, ScheduleLimits.DefaultMaxCatchUp))
        {
            var setting = field switch
            {
                "cron" => "Schedule",
                "timeZone" => "TimeZone",
                _ => char.ToUpperInvariant(field[0]) + field[1..],
            };
            problems.AddRange(messages.Select(m => $"{section}:{setting}: {m}"));
        }

        return problems;
    }
}
