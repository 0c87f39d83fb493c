using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Tributary.Scheduling;

/// <summary>
/// Schedules from configuration: <c>Jobs:{job}:Schedule:Cron</c>, <c>:TimeZone</c> (default UTC),
/// <c>:Misfire</c> (default skip), <c>:MaxCatchUp</c> (default 10) and <c>:Enabled</c> (default true).
/// A job without <c>:Cron</c> has no configured schedule.
/// </summary>
public static class ConfiguredSchedules
{
    /// <summary>Every job section with a schedule, by job name.</summary>
    /// <exception cref="InvalidOperationException">A configured schedule is invalid; the message names each setting.</exception>
    public static IReadOnlyDictionary<string, ScheduleChange> Read(IConfiguration configuration)
    {
        var (schedules, problems) = ReadAll(configuration);
        if (problems.Count > 0)
        {
            // Checked at start already (SchedulingOptionsValidator); this only guards a host that skipped that check.
            throw new Microsoft.Extensions.Options.OptionsValidationException("Jobs", typeof(ScheduleChange), problems);
        }

        return schedules;
    }

    /// <summary>
    /// The schedule each job follows by default: <c>Jobs:{job}:Schedule:*</c>, else its domain's
    /// <see cref="JobScheduleDefault"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, ScheduleChange> WithDefaults(IConfiguration configuration, IEnumerable<JobScheduleDefault> defaults)
    {
        var configured = new Dictionary<string, ScheduleChange>(Read(configuration), StringComparer.Ordinal);
        foreach (var fallback in defaults)
        {
            // Jobs:{job}:Schedule:* wins over a domain's own default.
            configured.TryAdd(fallback.Job, fallback.Schedule);
        }

        return configured;
    }

    /// <summary>Every problem of the configured schedules, each a sentence naming <c>Jobs:{job}:Schedule:{Setting}</c>.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration) => ReadAll(configuration).Problems;

    private static (IReadOnlyDictionary<string, ScheduleChange> Schedules, IReadOnlyList<string> Problems) ReadAll(IConfiguration configuration)
    {
        var schedules = new SortedDictionary<string, ScheduleChange>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var job in configuration.GetSection("Jobs").GetChildren())
        {
            var section = job.GetSection("Schedule");
            if (string.IsNullOrWhiteSpace(section["Cron"]))
            {
                continue;
            }

            var at = $"Jobs:{job.Key}:Schedule";
            int? maxCatchUp = null;
            if (section["MaxCatchUp"] is { } bound)
            {
                if (int.TryParse(bound, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    maxCatchUp = parsed;
                }
                else
                {
                    problems.Add($"{at}:MaxCatchUp must be a whole number, was '{bound}'.");
                }
            }

            bool? enabled = null;
            if (section["Enabled"] is { } flag)
            {
                if (bool.TryParse(flag, out var parsed))
                {
                    enabled = parsed;
                }
                else
                {
                    problems.Add($"{at}:Enabled must be true or false, was '{flag}'.");
                }
            }

            // Configuration is an edge: the policy is read from its text here, with the other fields' problems.
            var cron = section["Cron"];
            var timeZone = section["TimeZone"] ?? ScheduleLimits.DefaultTimeZone;
            var misfire = section["Misfire"] ?? MisfirePolicy.Skip.ToText();
            var catchUp = maxCatchUp ?? ScheduleLimits.DefaultMaxCatchUp;
            foreach (var (field, messages) in CronSchedule.Validate(cron, timeZone, misfire, catchUp))
            {
                var setting = char.ToUpperInvariant(field[0]) + field[1..];
                problems.AddRange(messages.Select(m => $"{at}:{setting}: {m}"));
            }

            MisfirePolicy.TryFromText(misfire, out var policy, out _);
            schedules[job.Key] = new ScheduleChange(cron, timeZone, policy, catchUp, enabled ?? true);
        }

        return (schedules, problems);
    }
}
