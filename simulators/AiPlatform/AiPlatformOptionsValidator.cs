using Microsoft.Extensions.Options;

namespace Tributary.Simulators.AiPlatform;

/// <summary>Fails start-up with a sentence naming the AI platform setting that is wrong.</summary>
public sealed class AiPlatformOptionsValidator : IValidateOptions<AiPlatformOptions>
{
    public ValidateOptionsResult Validate(string? name, AiPlatformOptions options)
    {
        var failures = new List<string>();
        Required(failures, "Username", options.Username, "the one user's login name");
        Required(failures, "Password", options.Password, "the one user's password");
        Required(failures, "ApiKey", options.ApiKey, $"the value clients send in the '{AiPlatformRoutes.ApiKeyHeader}' header");
        Required(failures, "TenantId", options.TenantId, $"the value clients send in the '{AiPlatformRoutes.TenantHeader}' header");
        Range(failures, "TokenSeconds", options.TokenSeconds, 1, AiPlatformOptions.MaxTokenSeconds);
        Range(failures, "LatencyMs", options.LatencyMs, 0, AiPlatformOptions.MaxLatencyMs);
        Range(failures, "LatencyJitterMs", options.LatencyJitterMs, 0, Math.Max(0, options.LatencyMs));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Required(List<string> failures, string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{AiPlatformOptions.Section}:{key} must be set: {what}.");
        }
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{AiPlatformOptions.Section}:{key} must be {min}..{max}, was {value}.");
        }
    }
}
