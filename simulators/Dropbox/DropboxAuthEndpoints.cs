using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Cryptography;
using System.Text;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Dropbox;

/// <summary>The OAuth host: <c>POST /dropbox/oauth2/token</c> with the refresh-token grant.</summary>
public static class DropboxAuthEndpoints
{
    public static IEndpointRouteBuilder MapDropboxAuth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost($"{DropboxRoutes.RootPath}/oauth2/token", Token)
            .AsSimulatedRoute(endpoints, DropboxRoutes.Token, DropboxErrorWriter.Instance);
        return endpoints;
    }

    private static async Task<IResult> Token(HttpRequest request, DropboxNamespace dropbox)
    {
        if (!request.HasFormContentType)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "Send the token request as application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var (clientId, clientSecret) = ((string?)form["client_id"].ToString(), (string?)form["client_secret"].ToString());
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var basic) && basic.Scheme == "Basic" && basic.Parameter is { } encoded)
        {
            var decoded = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, decoded, out var length))
            {
                return Error(StatusCodes.Status400BadRequest, "invalid_client", "The Authorization header is not Basic base64(client_id:client_secret).");
            }

            var pair = Encoding.UTF8.GetString(decoded, 0, length).Split(':', 2);
            (clientId, clientSecret) = (pair[0], pair.Length > 1 ? pair[1] : string.Empty);
        }

        var options = dropbox.Options;
        if (!Same(clientId, options.AppKey) || !Same(clientSecret, options.AppSecret))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_client", "Invalid client_id or client_secret");
        }

        var grant = form["grant_type"].ToString();
        if (grant != "refresh_token")
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"grant_type must be 'refresh_token'; was '{grant}'.");
        }

        if (!Same(form["refresh_token"].ToString(), options.RefreshToken))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_grant", "refresh token is invalid or revoked");
        }

        return TypedResults.Json(
            new DropboxTokenReply(dropbox.IssueAccessToken(), "bearer", options.AccessTokenSeconds),
            DropboxJsonContext.Default.DropboxTokenReply);
    }

    private static JsonHttpResult<DropboxOAuthError> Error(int status, string error, string description) =>
        TypedResults.Json(new DropboxOAuthError(error, description), DropboxJsonContext.Default.DropboxOAuthError, statusCode: status);

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
