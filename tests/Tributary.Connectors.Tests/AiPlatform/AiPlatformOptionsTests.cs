using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.AiPlatform;

namespace Tributary.Connectors.Tests.AiPlatform;

/// <summary>Bad <c>AiPlatform</c> settings fail with a sentence naming the setting, never quoting the API key.</summary>
public sealed class AiPlatformOptionsTests
{
    private const string ApiKey = "options-test-key-41f0c2";

    [Theory]
    [InlineData("AiPlatform:BaseUrl", "", "AiPlatform:BaseUrl is required: the platform's API root, such as http://127.0.0.1:5090/aiplatform/ for the simulators.")]
    [InlineData("AiPlatform:BaseUrl", "aiplatform/", "AiPlatform:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/aiplatform/; was 'aiplatform/'.")]
    [InlineData("AiPlatform:BaseUrl", "ftp://127.0.0.1/aiplatform/", "AiPlatform:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/aiplatform/; was 'ftp://127.0.0.1/aiplatform/'.")]
    [InlineData("AiPlatform:ApiKey", " ", "AiPlatform:ApiKey is required: the platform's API key, sent in the X-API-Key header, from configuration or the environment (AiPlatform__ApiKey).")]
    [InlineData("AiPlatform:TenantId", "", "AiPlatform:TenantId is required: the tenant the platform knows this system by, sent in the X-Tenant-Id header.")]
    [InlineData("AiPlatform:Timeout", "00:00:00", "AiPlatform:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:00:00.")]
    [InlineData("AiPlatform:Timeout", "00:10:01", "AiPlatform:Timeout must be more than 00:00:00 and at most 00:10:00, was 00:10:01.")]
    public void AnInvalidSettingFailsWithASentenceNamingIt(string key, string value, string message)
    {
        var settings = Valid();
        settings[key] = value;
        using var services = Services(settings);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<AiPlatformClient>());

        Assert.Equal([message], failure.Failures);
        Assert.DoesNotContain(ApiKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryMissingSettingIsNamedAtOnce()
    {
        using var services = Services([]);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<AiPlatformClient>());

        Assert.Equal(
            ["AiPlatform:BaseUrl", "AiPlatform:ApiKey", "AiPlatform:TenantId"],
            failure.Failures.Select(sentence => sentence[..sentence.IndexOf(' ', StringComparison.Ordinal)]));
    }

    [Fact]
    public void TheDefaultTimeoutIsSixtySeconds()
    {
        using var services = Services(Valid());

        var options = services.GetRequiredService<IOptions<AiPlatformOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(60), options.Timeout);
        Assert.NotNull(services.GetRequiredService<AiPlatformClient>());
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["AiPlatform:BaseUrl"] = "http://127.0.0.1:5090/aiplatform",
        ["AiPlatform:ApiKey"] = ApiKey,
        ["AiPlatform:TenantId"] = "tributary",
    };

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddAiPlatformClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
