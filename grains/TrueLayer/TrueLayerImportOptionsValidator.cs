namespace Tributary.TrueLayer;

/// <summary>Checks <see cref="TrueLayerImportOptions"/> at start-up.</summary>
public sealed class TrueLayerImportOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<TrueLayerImportOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, TrueLayerImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems);
    }
}
