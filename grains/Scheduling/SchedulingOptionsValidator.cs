using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tributary.Scheduling;

/// <summary>
/// Checks <c>Scheduling:*</c> against the silo's <c>Silo:MinimumReminderPeriod</c>, and every configured
/// <c>Jobs:{job}:Schedule:*</c>, when the silo starts: each problem a sentence naming the setting.
/// </summary>
public sealed class SchedulingOptionsValidator(IConfiguration configuration) : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var minimumReminderPeriod = configuration.GetValue("Silo:MinimumReminderPeriod", TimeSpan.FromMinutes(1));
        var problems = options.Validate(minimumReminderPeriod).Concat(ConfiguredSchedules.Problems(configuration)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
