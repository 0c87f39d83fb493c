namespace Tributary.Jobs;

/// <summary>How long the retention job keeps what grows without bound. Section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Finished runs (and their batches, and dead letters once replayed) older than this many days are deleted.</summary>
    public int RunsDays { get; set; } = 30;

    /// <summary>Delivered (or failed) webhook deliveries and events every webhook has had, older than this many days, are deleted.</summary>
    public int EventsDays { get; set; } = 14;

    /// <summary>Grain-state rows cleared this many days ago are deleted.</summary>
    public int ClearedStateDays { get; set; } = 7;

    /// <summary>Membership rows of silos dead, or never active, for this many hours are deleted.</summary>
    public int DeadSiloHours { get; set; } = 24;

    /// <summary>Every problem, each a sentence naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value, least) in new[]
        {
            (nameof(RunsDays), RunsDays, 1), (nameof(EventsDays), EventsDays, 1), (nameof(ClearedStateDays), ClearedStateDays, 0), (nameof(DeadSiloHours), DeadSiloHours, 1),
        })
        {
            if (value < least || value > 36_500)
            {
                problems.Add($"{Section}:{name} must be {least}..36500, was {value}.");
            }
        }

        return problems;
    }
}

/// <summary>Checks <c>Retention:*</c> when the silo starts.</summary>
public sealed class RetentionOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RetentionOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.Validate() is { Count: > 0 } problems
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
