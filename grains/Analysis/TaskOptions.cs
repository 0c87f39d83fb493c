using Microsoft.Extensions.Options;

namespace Tributary.Analysis;

/// <summary>Analysis tasks. Section <c>Tasks</c>.</summary>
public sealed class TaskOptions
{
    public const string Section = "Tasks";
    public const string BuiltinProvider = "builtin";
    public const string PlatformProvider = "platform";

    /// <summary><c>builtin</c> (deterministic analytics, no upstream) or <c>platform</c> (the AI platform, <c>AiPlatform:*</c>).</summary>
    public string Provider { get; set; } = BuiltinProvider;

    /// <summary>Sections one silo analyses at once; the rest wait in its queue.</summary>
    public int WorkersPerSilo { get; set; } = 10;

    /// <summary>
    /// With a provider that calls an upstream (<c>platform</c>), the starts of a silo's analyses are at least this far
    /// apart: workers freed together do not all call the upstream at the same instant. An upstream that takes about the
    /// same time for every call ends together the calls that started together, so without it a silo's workers stay in
    /// lockstep, completing sections, ending runs and starting the next ones in one burst per round (in which everything
    /// else on the silo, submits included, waits). It caps a silo at one start per spacing (100 a second at 10 ms, twice
    /// what 10 workers need at 200 ms a call); <c>00:00:00</c> turns it off. The built-in provider has no upstream and is
    /// never spaced.
    /// </summary>
    public TimeSpan UpstreamStartSpacing { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Tasks older than this are deleted by the daily <c>prune_analysis_tasks</c> job.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>How often each silo looks for tasks it took whose run no longer goes (its silo died before the run began).</summary>
    public TimeSpan RecoveryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a silo with free workers looks at the queue of pending tasks besides being told: a submit wakes the
    /// silo it lands on at once, the others find the task at their next look (and every silo at start).
    /// </summary>
    public TimeSpan QueuePollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Which keys make a section, in order: an item of <c>data</c> holding every key of a rule belongs to that rule's
    /// section. A configured list replaces the default one.
    /// </summary>
    public List<SectionRule> Sections { get; set; } = [];

    /// <summary>The seed's sections: summary, movers, allocation, performance.</summary>
    public static IReadOnlyList<SectionRule> DefaultSections { get; } =
    [
        new() { Name = "summary", Keys = ["Market Value", "Top Asset"] },
        new() { Name = "movers", Keys = ["top_movers_data"] },
        new() { Name = "allocation", Keys = ["assets", "total_portfolio_mv"] },
        new() { Name = "performance", Keys = ["performance"] },
    ];

    /// <summary>The rules in force: the configured ones, else <see cref="DefaultSections"/>.</summary>
    public IReadOnlyList<SectionRule> Rules => Sections.Count > 0 ? Sections : DefaultSections;
}

/// <summary>One section rule: its name and the keys an item must hold.</summary>
public sealed class SectionRule
{
    public string Name { get; set; } = string.Empty;

    public List<string> Keys { get; set; } = [];
}

/// <summary>Checks <see cref="TaskOptions"/>, each problem a sentence naming its setting.</summary>
public sealed class TaskOptionsValidator : IValidateOptions<TaskOptions>
{
    public ValidateOptionsResult Validate(string? name, TaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Provider is not (TaskOptions.BuiltinProvider or TaskOptions.PlatformProvider))
        {
            problems.Add($"Tasks:Provider must be 'builtin' or 'platform', was '{options.Provider}'.");
        }

        if (options.WorkersPerSilo is < 1 or > 256)
        {
            problems.Add($"Tasks:WorkersPerSilo must be 1..256, was {options.WorkersPerSilo}.");
        }

        if (options.UpstreamStartSpacing < TimeSpan.Zero || options.UpstreamStartSpacing > TimeSpan.FromSeconds(1))
        {
            problems.Add($"Tasks:UpstreamStartSpacing must be 00:00:00..00:00:01, was {options.UpstreamStartSpacing}.");
        }

        if (options.RetentionDays is < 1 or > 3_650)
        {
            problems.Add($"Tasks:RetentionDays must be 1..3650, was {options.RetentionDays}.");
        }

        if (options.RecoveryPeriod < TimeSpan.FromSeconds(1))
        {
            problems.Add($"Tasks:RecoveryPeriod must be at least 00:00:01, was {options.RecoveryPeriod}.");
        }

        if (options.QueuePollPeriod < TimeSpan.FromMilliseconds(50) || options.QueuePollPeriod > TimeSpan.FromHours(1))
        {
            problems.Add($"Tasks:QueuePollPeriod must be 00:00:00.050..01:00:00, was {options.QueuePollPeriod}.");
        }

        for (var i = 0; i < options.Sections.Count; i++)
        {
            var rule = options.Sections[i];
            if (string.IsNullOrWhiteSpace(rule.Name) || !rule.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                problems.Add($"Tasks:Sections:{i}:Name must be lower-case letters, digits and _, was '{rule.Name}'.");
            }

            if (rule.Keys.Count == 0 || rule.Keys.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add($"Tasks:Sections:{i}:Keys must list at least one key, none empty.");
            }
        }

        if (options.Sections.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            problems.Add($"Tasks:Sections names '{twice.Key}' twice: each section is one rule.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
