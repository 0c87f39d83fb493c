using Microsoft.Extensions.Options;

namespace Tributary.Connectors.AiPlatform;

/// <summary>Fails start-up with a sentence naming the <c>AiPlatform</c> setting that is wrong; never quotes the API key.</summary>
public sealed class AiPlatformOptionsValidator : IValidateOptions<AiPlatformOptions>
{
    /// <summary>The longest attempt timeout accepted: beyond it a hung call would hold a worker for too long.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, AiPlatformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string section = AiPlatformOptions.Section;
        if (options.BaseUrl is null || string.IsNullOrWhiteSpace(options.BaseUrl.OriginalString))
        {
            failures.Add($"{section}:BaseUrl is required: the platform's API root, such as http://127.0.0.1:5090/aiplatform/ for the simulators.");
        }
        else if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttp && options.BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/aiplatform/; was '{options.BaseUrl.OriginalString}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{section}:ApiKey is required: the platform's API key, sent in the X-API-Key header, from configuration or the environment (AiPlatform__ApiKey).");
        }

        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            failures.Add($"{section}:TenantId is required: the tenant the platform knows this system by, sent in the X-Tenant-Id header.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
