using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tributary.Jobs;

/// <summary>
/// Checks <c>JobRuntime:*</c> and every registered job's <c>Jobs:{job}:*</c> when the silo starts (the options are
/// validated on start), so a bad setting stops the silo with sentences naming it instead of surfacing when the first
/// job grain activates.
/// </summary>
public sealed class JobRuntimeOptionsValidator(IEnumerable<IJobDefinition> definitions, IConfiguration configuration) : IValidateOptions<JobRuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, JobRuntimeOptions options)
    {
        var problems = new List<string>();
        if (options.WatchdogPeriod <= TimeSpan.Zero)
        {
            problems.Add($"{JobRuntimeOptions.Section}:WatchdogPeriod must be positive, was {options.WatchdogPeriod}.");
        }

        if (options.SweepPeriod < TimeSpan.FromMilliseconds(100) || options.SweepPeriod > TimeSpan.FromHours(1))
        {
            problems.Add($"{JobRuntimeOptions.Section}:SweepPeriod must be 00:00:00.1..01:00:00, was {options.SweepPeriod}.");
        }

        if (options.DatabaseOutageTolerance < TimeSpan.Zero)
        {
            problems.Add($"{JobRuntimeOptions.Section}:DatabaseOutageTolerance must not be negative, was {options.DatabaseOutageTolerance}.");
        }

        if (options.DatabaseRetryDelay <= TimeSpan.Zero || options.DatabaseRetryMaxDelay < options.DatabaseRetryDelay)
        {
            problems.Add($"{JobRuntimeOptions.Section}:DatabaseRetryDelay..DatabaseRetryMaxDelay must be a positive range, was {options.DatabaseRetryDelay}..{options.DatabaseRetryMaxDelay}.");
        }

        problems.AddRange(JobCatalog.Problems(definitions, configuration));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
