using System.Globalization;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Keycloak;

/// <summary>Injected faults carry Keycloak's OAuth error body (<c>temporarily_unavailable</c> for 429, <c>server_error</c> otherwise).</summary>
public sealed class KeycloakErrorWriter : IUpstreamErrorWriter
{
    public static KeycloakErrorWriter Instance { get; } = new();

    public Task WriteAsync(HttpContext context, UpstreamError error)
    {
        var body = error.RetryAfterSeconds is { } seconds
            ? new KeycloakError(KeycloakError.TemporarilyUnavailable, $"Too many requests; retry after {seconds.ToString(CultureInfo.InvariantCulture)} s.")
            : new KeycloakError(KeycloakError.ServerError, $"The identity provider failed with status {error.StatusCode.ToString(CultureInfo.InvariantCulture)}; try again later.");
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, KeycloakJsonContext.Default.KeycloakError, context.RequestAborted);
    }

    /// <summary>A handler's own error as a result.</summary>
    public static IResult Json(int statusCode, string error, string description) =>
        TypedResults.Json(new KeycloakError(error, description), KeycloakJsonContext.Default.KeycloakError, statusCode: statusCode);
}
