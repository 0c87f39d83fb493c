using Microsoft.Extensions.Options;

namespace Tributary.Simulators.WealthX;

/// <summary>Fails start-up with a sentence naming the WealthX setting that is wrong.</summary>
public sealed class WealthXOptionsValidator : IValidateOptions<WealthXOptions>
{
    public ValidateOptionsResult Validate(string? name, WealthXOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Username))
        {
            failures.Add($"{WealthXOptions.Section}:Username must be set: the value clients send in the 'username' header.");
        }

        if (string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add($"{WealthXOptions.Section}:Password must be set: the value clients send in the 'password' header.");
        }

        if (options.TotalDossiers is < 0 or > WealthXOptions.MaxTotalDossiers)
        {
            failures.Add($"{WealthXOptions.Section}:TotalDossiers must be 0..{WealthXOptions.MaxTotalDossiers}, was {options.TotalDossiers}.");
        }

        if (options.MaxRecordsPerCall is < 1 or > WealthXRoutes.MaxRecordsPerCall)
        {
            failures.Add($"{WealthXOptions.Section}:MaxRecordsPerCall must be 1..{WealthXRoutes.MaxRecordsPerCall}, was {options.MaxRecordsPerCall}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
