namespace Tributary.TrueLayer;

/// <summary>Checks <see cref="EnrichmentOptions"/> at start-up.</summary>
public sealed class EnrichmentOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<EnrichmentOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, EnrichmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
