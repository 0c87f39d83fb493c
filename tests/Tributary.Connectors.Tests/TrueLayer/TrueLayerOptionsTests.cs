using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.TrueLayer;

namespace Tributary.Connectors.Tests.TrueLayer;

/// <summary>Bad <c>TrueLayer</c> settings fail with a sentence naming the setting, never quoting the client secret.</summary>
public sealed class TrueLayerOptionsTests
{
    private const string Secret = "options-test-secret-5d1f";

    [Theory]
    [InlineData("TrueLayer:AuthUrl", "", "TrueLayer:AuthUrl is required: the auth host root, such as https://auth.truelayer.com/ (http://127.0.0.1:5090/truelayer/auth/ for the simulators).")]
    [InlineData("TrueLayer:AuthUrl", "truelayer/auth", "TrueLayer:AuthUrl must be an absolute http or https URL; was 'truelayer/auth'.")]
    [InlineData("TrueLayer:DataUrl", "", "TrueLayer:DataUrl is required: the data host root, such as https://api.truelayer.com/ (http://127.0.0.1:5090/truelayer/api/ for the simulators).")]
    [InlineData("TrueLayer:DataUrl", "ftp://127.0.0.1/truelayer/api/", "TrueLayer:DataUrl must be an absolute http or https URL; was 'ftp://127.0.0.1/truelayer/api/'.")]
    [InlineData("TrueLayer:ClientId", " ", "TrueLayer:ClientId is required: the client id of the TrueLayer application, from TrueLayer's console (tributary-sim for the simulators).")]
    [InlineData("TrueLayer:ClientSecret", "", "TrueLayer:ClientSecret is required: the client secret of the TrueLayer application, from configuration or the environment (TrueLayer__ClientSecret).")]
    [InlineData("TrueLayer:RedirectUri", "", "TrueLayer:RedirectUri is required: where the auth dialog sends the user back, the gateway's /api/truelayer/callback (such as http://127.0.0.1:5080/api/truelayer/callback), registered with the TrueLayer application.")]
    [InlineData("TrueLayer:RedirectUri", "/api/truelayer/callback", "TrueLayer:RedirectUri must be an absolute http or https URL; was '/api/truelayer/callback'.")]
    [InlineData("TrueLayer:Scopes", "info accounts transactions", "TrueLayer:Scopes must include offline_access, or TrueLayer issues no refresh token and every connection ends with its first access token; was 'info accounts transactions' (default: info accounts balance cards transactions offline_access).")]
    [InlineData("TrueLayer:Timeout", "00:00:00", "TrueLayer:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:00:00.")]
    [InlineData("TrueLayer:Timeout", "00:10:01", "TrueLayer:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:10:01.")]
    public void AnInvalidSettingFailsWithASentenceNamingIt(string key, string value, string message)
    {
        var settings = Valid();
        settings[key] = value;
        using var services = Services(settings);

        var auth = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TrueLayerAuthClient>());
        var data = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TrueLayerDataClient>());

        Assert.Equal([message], auth.Failures);
        Assert.Equal([message], data.Failures);
        Assert.DoesNotContain(Secret, auth.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsAreThirtySecondsTheFullScopeAndTheUkProviders()
    {
        var settings = Valid();
        settings.Remove("TrueLayer:Scopes");
        using var services = Services(settings);

        var options = services.GetRequiredService<IOptions<TrueLayerOptions>>().Value;

        Assert.Equal(
            (TimeSpan.FromSeconds(30), "info accounts balance cards transactions offline_access", (string?)"uk-ob-all uk-oauth-all"),
            (options.Timeout, options.Scopes, options.Providers));
        Assert.NotNull(services.GetRequiredService<TrueLayerAuthClient>());
        Assert.NotNull(services.GetRequiredService<TrueLayerDataClient>());
    }

    internal static Dictionary<string, string?> Valid() => new()
    {
        ["TrueLayer:AuthUrl"] = "http://127.0.0.1:5090/truelayer/auth",
        ["TrueLayer:DataUrl"] = "http://127.0.0.1:5090/truelayer/api",
        ["TrueLayer:ClientId"] = "tributary-test",
        ["TrueLayer:ClientSecret"] = Secret,
        ["TrueLayer:RedirectUri"] = "http://127.0.0.1:5080/api/truelayer/callback",
        ["TrueLayer:Scopes"] = "info accounts balance cards transactions offline_access",
    };

    internal static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddTrueLayerClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
