namespace Tributary.Simulators.Dropbox;

/// <summary>
/// The bearer check of the RPC and content hosts, an endpoint filter so it runs after the fault layer: no or an
/// unknown token is 401 <c>invalid_access_token</c>, an expired one 401 <c>expired_access_token</c>.
/// </summary>
public static class DropboxBearer
{
    public static async ValueTask<object?> RequireAccessToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var dropbox = context.HttpContext.RequestServices.GetRequiredService<DropboxNamespace>();
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        return dropbox.CheckAccessToken(token) is { } refusal ? DropboxErrors.Auth(refusal) : await next(context);
    }
}
