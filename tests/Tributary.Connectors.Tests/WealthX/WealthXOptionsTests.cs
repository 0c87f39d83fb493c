using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.WealthX;

namespace Tributary.Connectors.Tests.WealthX;

/// <summary>Bad <c>WealthX</c> settings fail with a sentence naming the setting, never quoting a credential.</summary>
public sealed class WealthXOptionsTests
{
    [Theory]
    [InlineData("WealthX:BaseUrl", "", "WealthX:BaseUrl must be set: the API root, such as https://connect.wealthx.com/rest/v1/ (http://127.0.0.1:5090/wealthx/rest/v1/ for the simulators).")]
    [InlineData("WealthX:BaseUrl", "wealthx/rest/v1", "WealthX:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/wealthx/rest/v1/; was 'wealthx/rest/v1'.")]
    [InlineData("WealthX:Username", " ", "WealthX:Username must be set: the user WealthX expects in the username header (from configuration or the environment, WealthX__Username).")]
    [InlineData("WealthX:Password", "", "WealthX:Password must be set: the password WealthX expects in the password header (from configuration or the environment, WealthX__Password).")]
    [InlineData("WealthX:ApiKey", "  ", "WealthX:ApiKey must be a key WealthX issued, or left empty when none was issued; was only whitespace.")]
    [InlineData("WealthX:Timeout", "00:00:00", "WealthX:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:00:00.")]
    [InlineData("WealthX:ApiBatchSize", "900", "WealthX:ApiBatchSize must be 1..500, was 900.")]
    [InlineData("WealthX:ApiBatchSize", "0", "WealthX:ApiBatchSize must be 1..500, was 0.")]
    public void AnInvalidSettingFailsWithASentenceNamingIt(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WealthX:BaseUrl"] = "http://127.0.0.1:5090/wealthx/rest/v1/",
            ["WealthX:Username"] = "user",
            ["WealthX:Password"] = "secret",
            [key] = value,
        };
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<WealthXClient>());

        Assert.Equal([message], failure.Failures);
    }

    [Fact]
    public void DefaultsAreThirtySecondsAndTheApisLimitWithoutAnApiKey()
    {
        using var services = Services(new Dictionary<string, string?>
        {
            ["WealthX:BaseUrl"] = "http://127.0.0.1:5090/wealthx/rest/v1",
            ["WealthX:Username"] = "user",
            ["WealthX:Password"] = "secret",
        });

        var options = services.GetRequiredService<IOptions<WealthXOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(30), 500, (string?)null), (options.Timeout, options.ApiBatchSize, options.ApiKey));
        Assert.NotNull(services.GetRequiredService<WealthXClient>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddWealthXClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
