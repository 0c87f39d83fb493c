using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Vestr;

/// <summary>Fails start-up with a sentence naming the Vestr setting that is wrong.</summary>
public sealed class VestrOptionsValidator : IValidateOptions<VestrOptions>
{
    public ValidateOptionsResult Validate(string? name, VestrOptions options)
    {
        var failures = new List<string>();
        Range(failures, "Products", options.Products, 1, VestrOptions.MaxProducts);
        Range(failures, "Days", options.Days, 1, VestrOptions.MaxDays);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{VestrOptions.Section}:{key} must be {min}..{max}, was {value}.");
        }
    }
}
