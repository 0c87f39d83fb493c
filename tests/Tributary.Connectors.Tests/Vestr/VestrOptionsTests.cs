using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.Vestr;

namespace Tributary.Connectors.Tests.Vestr;

/// <summary>Bad <c>Vestr</c> settings fail with a sentence naming the setting, never quoting a credential.</summary>
public sealed class VestrOptionsTests
{
    private const string Password = "options-test-password-7c2e";

    private const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DP";

    [Theory]
    [InlineData("Vestr:KeycloakUrl", "", "Vestr:KeycloakUrl is required: the Keycloak realm root, such as https://login.example.com/realms/vestr/ (http://127.0.0.1:5090/keycloak/realms/vestr/ for the simulators).")]
    [InlineData("Vestr:KeycloakUrl", "keycloak/realms/vestr", "Vestr:KeycloakUrl must be an absolute http or https URL; was 'keycloak/realms/vestr'.")]
    [InlineData("Vestr:ClientId", " ", "Vestr:ClientId is required: the Keycloak client the login is made for (default: vestr-app).")]
    [InlineData("Vestr:RedirectUri", "/vestr/callback", "Vestr:RedirectUri must be an absolute http or https URL; was '/vestr/callback'.")]
    [InlineData("Vestr:Username", "", "Vestr:Username is required: the Vestr user, from configuration or the environment (Vestr__Username).")]
    [InlineData("Vestr:Password", "", "Vestr:Password is required: the Vestr user's password, from configuration or the environment (Vestr__Password).")]
    [InlineData("Vestr:TotpSecret", "", "Vestr:TotpSecret is required: the base32 secret of the user's authenticator (TOTP), from configuration or the environment (Vestr__TotpSecret).")]
    [InlineData("Vestr:TotpSecret", "not-base32-0189!", "Vestr:TotpSecret must be base32 (letters A-Z and digits 2-7, as the authenticator enrolment shows it); the value set is not (it is not quoted: it is a secret).")]
    [InlineData("Vestr:LoginFlow", "password", "Vestr:LoginFlow must be browser or direct_grant, was 'password'.")]
    [InlineData("Vestr:GraphQlUrl", "", "Vestr:GraphQlUrl is required: Vestr's GraphQL endpoint (http://127.0.0.1:5090/vestr/graphql for the simulators).")]
    [InlineData("Vestr:GraphQlUrl", "ftp://127.0.0.1/vestr/graphql", "Vestr:GraphQlUrl must be an absolute http or https URL; was 'ftp://127.0.0.1/vestr/graphql'.")]
    [InlineData("Vestr:PageSize", "0", "Vestr:PageSize must be 1..500, was 0.")]
    [InlineData("Vestr:PageSize", "501", "Vestr:PageSize must be 1..500, was 501.")]
    [InlineData("Vestr:IncrementalDays", "0", "Vestr:IncrementalDays must be 1..3650, was 0.")]
    [InlineData("Vestr:IncrementalDays", "3651", "Vestr:IncrementalDays must be 1..3650, was 3651.")]
    [InlineData("Vestr:Timeout", "00:00:00", "Vestr:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:00:00.")]
    [InlineData("Vestr:Timeout", "00:10:01", "Vestr:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:10:01.")]
    [InlineData("Vestr:MaxClockDrift", "00:00:00", "Vestr:MaxClockDrift must be more than 00:00:00 and at most 00:05:00, was 00:00:00.")]
    [InlineData("Vestr:MaxClockDrift", "00:05:01", "Vestr:MaxClockDrift must be more than 00:00:00 and at most 00:05:00, was 00:05:01.")]
    public void AnInvalidSettingFailsWithASentenceNamingIt(string key, string value, string message)
    {
        var settings = Valid();
        settings[key] = value;
        using var services = Services(settings);

        var login = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<KeycloakLogin>());
        var session = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<VestrSession>());
        var fees = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<VestrFeeClient>());

        Assert.Equal([message], login.Failures);
        Assert.Equal([message], session.Failures);
        Assert.Equal([message], fees.Failures);
        Assert.DoesNotContain(Password, login.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TotpSecret, login.Message, StringComparison.Ordinal);
        if (key == "Vestr:TotpSecret" && value.Length > 0)
        {
            Assert.DoesNotContain(value, login.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryMissingCredentialIsNamedAtOnce()
    {
        var settings = Valid();
        settings.Remove("Vestr:Username");
        settings.Remove("Vestr:Password");
        settings.Remove("Vestr:TotpSecret");
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<KeycloakLogin>());

        Assert.Equal(["Vestr:Username", "Vestr:Password", "Vestr:TotpSecret"], failure.Failures.Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Fact]
    public void DefaultsAreTheBrowserFlowAHundredAPageAndThirtyDays()
    {
        var settings = Valid();
        using var services = Services(settings);

        var options = services.GetRequiredService<IOptions<VestrOptions>>().Value;

        Assert.Equal(
            ("vestr-app", "browser", (Uri?)new Uri("http://127.0.0.1/vestr/callback"), 100, 30, new DateOnly(2020, 1, 1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15)),
            (options.ClientId, options.LoginFlow, options.RedirectUri, options.PageSize, options.IncrementalDays, options.FullSyncFrom, options.Timeout, options.MaxClockDrift));
        Assert.NotNull(services.GetRequiredService<KeycloakLogin>());
        Assert.Same(services.GetRequiredService<VestrSession>(), services.GetRequiredService<VestrSession>());
        Assert.NotNull(services.GetRequiredService<VestrFeeClient>());
    }

    [Fact]
    public void TokensNeverPrintThemselves()
    {
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var tokens = new KeycloakTokens("access-6f1d", at, "refresh-9b2a", at.AddMinutes(30));

        Assert.Equal(
            "KeycloakTokens { AccessToken = ***, AccessExpiresAt = 2026-03-04T05:06:07.0000000+00:00, RefreshToken = ***, RefreshExpiresAt = 2026-03-04T05:36:07.0000000+00:00 }",
            tokens.ToString());
    }

    internal static Dictionary<string, string?> Valid() => new()
    {
        ["Vestr:KeycloakUrl"] = "http://127.0.0.1:5090/keycloak/realms/vestr",
        ["Vestr:GraphQlUrl"] = "http://127.0.0.1:5090/vestr/graphql",
        ["Vestr:Username"] = "options-test-user",
        ["Vestr:Password"] = Password,
        ["Vestr:TotpSecret"] = TotpSecret,
    };

    internal static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddVestrClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
