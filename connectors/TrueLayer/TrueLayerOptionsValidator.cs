using Microsoft.Extensions.Options;

namespace Tributary.Connectors.TrueLayer;

/// <summary>Fails start-up with a sentence naming the <c>TrueLayer</c> setting that is wrong; never quotes the client secret.</summary>
public sealed class TrueLayerOptionsValidator : IValidateOptions<TrueLayerOptions>
{
    /// <summary>The longest attempt timeout accepted: beyond it a hung call would stall an import for too long.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The scope without which TrueLayer issues no refresh token.</summary>
    public const string OfflineAccess = "offline_access";

    public ValidateOptionsResult Validate(string? name, TrueLayerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string section = TrueLayerOptions.Section;
        CheckUrl(failures, "AuthUrl", options.AuthUrl, "the auth host root, such as https://auth.truelayer.com/ (http://127.0.0.1:5090/truelayer/auth/ for the simulators)");
        CheckUrl(failures, "DataUrl", options.DataUrl, "the data host root, such as https://api.truelayer.com/ (http://127.0.0.1:5090/truelayer/api/ for the simulators)");

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{section}:ClientId is required: the client id of the TrueLayer application, from TrueLayer's console (tributary-sim for the simulators).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{section}:ClientSecret is required: the client secret of the TrueLayer application, from configuration or the environment (TrueLayer__ClientSecret).");
        }

        CheckUrl(failures, "RedirectUri", options.RedirectUri, "where the auth dialog sends the user back, the gateway's /api/truelayer/callback (such as http://127.0.0.1:5080/api/truelayer/callback), registered with the TrueLayer application");

        var scopes = options.Scopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (!scopes.Contains(OfflineAccess, StringComparer.Ordinal))
        {
            failures.Add(
                $"{section}:Scopes must include {OfflineAccess}, or TrueLayer issues no refresh token and every connection ends with its first access token; "
                + $"was '{options.Scopes}' (default: info accounts balance cards transactions offline_access).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string setting, Uri? url, string what)
    {
        var key = $"{TrueLayerOptions.Section}:{setting}";
        if (url is null || string.IsNullOrWhiteSpace(url.OriginalString))
        {
            failures.Add($"{key} is required: {what}.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key} must be an absolute http or https URL; was '{url.OriginalString}'.");
        }
    }
}
