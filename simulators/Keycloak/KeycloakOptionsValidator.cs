using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Keycloak;

/// <summary>Fails start-up with a sentence naming the Keycloak setting that is wrong.</summary>
public sealed class KeycloakOptionsValidator : IValidateOptions<KeycloakOptions>
{
    public ValidateOptionsResult Validate(string? name, KeycloakOptions options)
    {
        const string S = KeycloakOptions.Section;
        var failures = new List<string>();
        Required(failures, "ClientId", options.ClientId, "the client_id the login page and the token endpoint accept");
        Required(failures, "Username", options.Username, "the one user's login name");
        Required(failures, "Password", options.Password, "the one user's password");
        if (!Base32.TryDecode(options.TotpSecret, out var secret) || secret.Length < 10)
        {
            failures.Add($"{S}:TotpSecret must be a base32 secret (A-Z, 2-7) of at least 16 characters, such as JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP; was '{options.TotpSecret}'.");
        }

        Range(failures, "AccessTokenSeconds", options.AccessTokenSeconds, 1, KeycloakOptions.MaxTokenSeconds);
        Range(failures, "RefreshTokenSeconds", options.RefreshTokenSeconds, 1, KeycloakOptions.MaxTokenSeconds);
        Range(failures, "ClockSkewSeconds", options.ClockSkewSeconds, -KeycloakOptions.MaxClockSkewSeconds, KeycloakOptions.MaxClockSkewSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Required(List<string> failures, string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{KeycloakOptions.Section}:{key} must be set: {what}.");
        }
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{KeycloakOptions.Section}:{key} must be {min}..{max}, was {value}.");
        }
    }
}
