using System.Text.Json.Serialization;

namespace Tributary.Simulators.AiPlatform;

/// <summary>
/// Every error body of the platform: <c>{"error":"invalid_credentials","message":"..."}</c>; <c>invalid_token</c>
/// comes without a message.
/// </summary>
public sealed record AiPlatformError(
    string Error,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidCredentials = "invalid_credentials";
    public const string InvalidToken = "invalid_token";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
}
