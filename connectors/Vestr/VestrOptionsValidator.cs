using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Vestr;

/// <summary>
/// Fails start-up with a sentence naming the <c>Vestr</c> setting that is wrong; never quotes the username, the
/// password nor the TOTP secret.
/// </summary>
public sealed class VestrOptionsValidator : IValidateOptions<VestrOptions>
{
    /// <summary>The longest attempt timeout accepted: beyond it a hung call would stall an import for too long.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The widest clock drift accepted: beyond a few TOTP steps a drift check says nothing.</summary>
    public static readonly TimeSpan MaxMaxClockDrift = TimeSpan.FromMinutes(5);

    public const int MaxPageSize = 500;

    public const int MaxIncrementalDays = 3650;

    public ValidateOptionsResult Validate(string? name, VestrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string section = VestrOptions.Section;
        CheckUrl(failures, "KeycloakUrl", options.KeycloakUrl, "the Keycloak realm root, such as https://login.example.com/realms/vestr/ (http://127.0.0.1:5090/keycloak/realms/vestr/ for the simulators)");
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{section}:ClientId is required: the Keycloak client the login is made for (default: vestr-app).");
        }

        CheckUrl(failures, "RedirectUri", options.RedirectUri, "the redirect URI registered with the Keycloak client (default: http://127.0.0.1/vestr/callback; nothing is requested there)");
        if (string.IsNullOrWhiteSpace(options.Username))
        {
            failures.Add($"{section}:Username is required: the Vestr user, from configuration or the environment (Vestr__Username).");
        }

        if (string.IsNullOrWhiteSpace(options.Password))
        {
            failures.Add($"{section}:Password is required: the Vestr user's password, from configuration or the environment (Vestr__Password).");
        }

        if (string.IsNullOrWhiteSpace(options.TotpSecret))
        {
            failures.Add($"{section}:TotpSecret is required: the base32 secret of the user's authenticator (TOTP), from configuration or the environment (Vestr__TotpSecret).");
        }
        else if (!VestrTotp.IsValidSecret(options.TotpSecret))
        {
            failures.Add($"{section}:TotpSecret must be base32 (letters A-Z and digits 2-7, as the authenticator enrolment shows it); the value set is not (it is not quoted: it is a secret).");
        }

        if (options.LoginFlow is not (VestrOptions.BrowserFlow or VestrOptions.DirectGrantFlow))
        {
            failures.Add($"{section}:LoginFlow must be {VestrOptions.BrowserFlow} or {VestrOptions.DirectGrantFlow}, was '{options.LoginFlow}'.");
        }

        CheckUrl(failures, "GraphQlUrl", options.GraphQlUrl, "Vestr's GraphQL endpoint (http://127.0.0.1:5090/vestr/graphql for the simulators)");
        if (options.PageSize is < 1 or > MaxPageSize)
        {
            failures.Add($"{section}:PageSize must be 1..{MaxPageSize}, was {options.PageSize}.");
        }

        if (options.IncrementalDays is < 1 or > MaxIncrementalDays)
        {
            failures.Add($"{section}:IncrementalDays must be 1..{MaxIncrementalDays}, was {options.IncrementalDays}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        if (options.MaxClockDrift <= TimeSpan.Zero || options.MaxClockDrift > MaxMaxClockDrift)
        {
            failures.Add($"{section}:MaxClockDrift must be more than 00:00:00 and at most {MaxMaxClockDrift:c}, was {options.MaxClockDrift:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string setting, Uri? url, string what)
    {
        var key = $"{VestrOptions.Section}:{setting}";
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
