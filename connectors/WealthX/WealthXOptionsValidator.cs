using Microsoft.Extensions.Options;

namespace Tributary.Connectors.WealthX;

/// <summary>Fails start-up with a sentence naming the <c>WealthX</c> setting that is wrong; never quotes a credential.</summary>
public sealed class WealthXOptionsValidator : IValidateOptions<WealthXOptions>
{
    /// <summary>The longest attempt timeout accepted: beyond it a hung call would stall a session for too long.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, WealthXOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        // A feed's own client names its own section, where its credentials are.
        var section = WealthXOptions.SectionOf(name);
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add($"{section}:BaseUrl must be set: the API root, such as https://connect.wealthx.com/rest/v1/ (http://127.0.0.1:5090/wealthx/rest/v1/ for the simulators).");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/wealthx/rest/v1/; was '{options.BaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Username))
        {
            failures.Add($"{section}:Username must be set: the user WealthX expects in the username header (from configuration or the environment, WealthX__Username).");
        }

        if (string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add($"{section}:Password must be set: the password WealthX expects in the password header (from configuration or the environment, WealthX__Password).");
        }

        if (options.ApiKey is { } apiKey && apiKey.Length > 0 && string.IsNullOrWhiteSpace(apiKey))
        {
            failures.Add($"{section}:ApiKey must be a key WealthX issued, or left empty when none was issued; was only whitespace.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        if (options.ApiBatchSize is < 1 or > WealthXOptions.ApiMaxRecordsPerCall)
        {
            failures.Add($"{section}:ApiBatchSize must be 1..{WealthXOptions.ApiMaxRecordsPerCall}, was {options.ApiBatchSize}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
