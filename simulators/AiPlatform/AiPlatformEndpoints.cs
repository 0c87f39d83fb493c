using System.Net.Http.Headers;
using System.Text.Json;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.AiPlatform;

/// <summary>
/// The platform under <see cref="AiPlatformRoutes.BasePath"/>: the login and the per-section analysis. Each checks,
/// in order, the API key and tenant (403), the bearer token (analyses only, 401), the body (400), then answers; the
/// fault layer comes before all of them.
/// </summary>
public static class AiPlatformEndpoints
{
    public static IEndpointRouteBuilder MapAiPlatformApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(AiPlatformRoutes.BasePath);

        api.MapPost("/auth/login", LoginAsync)
            .AsSimulatedRoute(endpoints, AiPlatformRoutes.Login, AiPlatformErrorWriter.Instance);

        api.MapPost("/v1/analyses", AnalyseAsync)
            .AsSimulatedRoute(endpoints, AiPlatformRoutes.Analyses, AiPlatformErrorWriter.Instance);

        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, AiPlatformTenant tenant)
    {
        if (Forbidden(context.Request, tenant) is { } forbidden)
        {
            return forbidden;
        }

        using var body = await ReadAsync(context);
        if (body is null)
        {
            return Invalid("The body must be a JSON object with username and password.");
        }

        if (Text(body.RootElement, "username") is not { } username || Text(body.RootElement, "password") is not { } password)
        {
            return Invalid("username and password are required, each a non-empty string.");
        }

        return tenant.CredentialsMatch(username, password)
            ? TypedResults.Json(tenant.Login(), AiPlatformJsonContext.Default.LoginReply)
            : AiPlatformErrorWriter.Json(StatusCodes.Status401Unauthorized, AiPlatformError.InvalidCredentials, "The user name or password is not valid.");
    }

    private static async Task<IResult> AnalyseAsync(HttpContext context, AiPlatformTenant tenant, TimeProvider time)
    {
        if (Forbidden(context.Request, tenant) is { } forbidden)
        {
            return forbidden;
        }

        if (!tenant.IsTokenActive(BearerToken(context.Request)))
        {
            return AiPlatformErrorWriter.Json(StatusCodes.Status401Unauthorized, AiPlatformError.InvalidToken);
        }

        AnalysisReply reply;
        using (var body = await ReadAsync(context))
        {
            if (body is null)
            {
                return Invalid("The body must be a JSON object with section and data.");
            }

            if (Text(body.RootElement, "section") is not { } section)
            {
                return Invalid("section is required: the name of the portfolio section to analyse, a non-empty string.");
            }

            if (!body.RootElement.TryGetProperty("data", out var data) || data.ValueKind == JsonValueKind.Null)
            {
                return Invalid("data is required: the data of the section, any JSON value but null.");
            }

            reply = SectionAnalyst.Analyse(section, data);
        }

        await WaitAtLeastAsync(time, tenant.NextLatency(), context.RequestAborted);
        tenant.CountAnalysis(reply.Section);
        return TypedResults.Json(reply, AiPlatformJsonContext.Default.AnalysisReply);
    }

    /// <summary>The 403 for a missing or wrong API key or tenant; null when both are right. Neither value is echoed.</summary>
    private static IResult? Forbidden(HttpRequest request, AiPlatformTenant tenant)
    {
        var apiKey = request.Headers[AiPlatformRoutes.ApiKeyHeader].ToString();
        var tenantId = request.Headers[AiPlatformRoutes.TenantHeader].ToString();
        if (apiKey.Length == 0 || tenantId.Length == 0)
        {
            return AiPlatformErrorWriter.Json(
                StatusCodes.Status403Forbidden,
                AiPlatformError.Forbidden,
                $"Send the API key of the platform in the {AiPlatformRoutes.ApiKeyHeader} header and your tenant in the {AiPlatformRoutes.TenantHeader} header.");
        }

        return tenant.KeyMatches(apiKey, tenantId)
            ? null
            : AiPlatformErrorWriter.Json(
                StatusCodes.Status403Forbidden,
                AiPlatformError.Forbidden,
                $"The API key in the {AiPlatformRoutes.ApiKeyHeader} header is not valid for the tenant in the {AiPlatformRoutes.TenantHeader} header.");
    }

    /// <summary>The body as a JSON object; null when it is empty, not JSON, or not an object.</summary>
    private static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }

        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;

    private static IResult Invalid(string message) =>
        AiPlatformErrorWriter.Json(StatusCodes.Status400BadRequest, AiPlatformError.InvalidRequest, message);

    private static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;

    /// <summary>
    /// Waits until <paramref name="delay"/> has elapsed by <paramref name="time"/>'s monotonic clock, on its timers: a
    /// real clock's timer may fire a little early, and a fake clock's fires when the test advances it.
    /// </summary>
    private static async Task WaitAtLeastAsync(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        for (var left = delay; left > TimeSpan.Zero; left = delay - time.GetElapsedTime(started))
        {
            await Task.Delay(left, time, cancellationToken);
        }
    }
}
