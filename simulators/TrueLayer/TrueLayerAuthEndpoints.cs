using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.TrueLayer;

/// <summary>The auth host under <see cref="TrueLayerRoutes.AuthBasePath"/>: the auth dialog and the token endpoint.</summary>
public static class TrueLayerAuthEndpoints
{
    public static IEndpointRouteBuilder MapTrueLayerAuth(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup(TrueLayerRoutes.AuthBasePath);

        auth.MapGet("/", Dialog)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Dialog, TrueLayerErrorWriter.Instance);

        auth.MapPost("/connect/token", Token)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Token, TrueLayerErrorWriter.Instance);

        return endpoints;
    }

    /// <summary>
    /// The user "approves" at once: a new consent and a code, sent back to the redirect URI. Errors are answered
    /// here, never redirected, so the dialog never sends the browser anywhere but the given redirect URI.
    /// </summary>
    private static IResult Dialog(HttpRequest request, TrueLayerConsentBook book, ILogger<TrueLayerConsentBook> logger)
    {
        var query = request.Query;
        var clientId = query["client_id"].ToString();
        if (clientId.Length == 0 || !Same(clientId, book.Options.ClientId))
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status400BadRequest,
                TrueLayerError.InvalidClient,
                clientId.Length == 0 ? "client_id is required." : $"client_id '{clientId}' is not a known client.");
        }

        var responseType = query["response_type"].ToString();
        if (responseType != "code")
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status400BadRequest,
                TrueLayerError.UnsupportedResponseType,
                $"response_type must be 'code'; was '{responseType}'.");
        }

        var redirectUri = query["redirect_uri"].ToString();
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps))
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status400BadRequest,
                TrueLayerError.InvalidRequest,
                $"redirect_uri must be an absolute http or https URI; was '{redirectUri}'.");
        }

        var scope = query["scope"].ToString();
        var consent = book.CreateConsent(ConsentShape.From(book.Options), scope.Length == 0 ? TrueLayerRoutes.DefaultScope : scope);
        var code = book.IssueCode(consent, redirectUri);
        SimulatorLog.TrueLayerConsentCreated(logger, consent.CredentialsId, consent.Accounts.Count);

        var parameters = new List<KeyValuePair<string, string?>> { new("code", code) };
        if (query.TryGetValue("state", out var state))
        {
            parameters.Add(new("state", state.ToString()));
        }

        return TypedResults.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    private static async Task<IResult> Token(HttpRequest request, TrueLayerConsentBook book)
    {
        var token = await TokenRequest.ReadAsync(request);
        if (token is null)
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status400BadRequest,
                TrueLayerError.InvalidRequest,
                "Send the token request as application/x-www-form-urlencoded or as a JSON object.");
        }

        if (token.ClientId is null || token.ClientSecret is null
            || !Same(token.ClientId, book.Options.ClientId) || !Same(token.ClientSecret, book.Options.ClientSecret))
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status401Unauthorized,
                TrueLayerError.InvalidClient,
                "client_id and client_secret do not identify a known client.");
        }

        TokenOutcome outcome;
        switch (token.GrantType)
        {
            case "authorization_code":
                if (string.IsNullOrEmpty(token.Code) || string.IsNullOrEmpty(token.RedirectUri))
                {
                    return Missing("code and redirect_uri are required for grant_type=authorization_code.");
                }

                outcome = book.RedeemCode(token.Code, token.RedirectUri);
                break;

            case "refresh_token":
                if (string.IsNullOrEmpty(token.RefreshToken))
                {
                    return Missing("refresh_token is required for grant_type=refresh_token.");
                }

                outcome = book.Refresh(token.RefreshToken);
                break;

            default:
                return TrueLayerErrorWriter.Json(
                    StatusCodes.Status400BadRequest,
                    TrueLayerError.UnsupportedGrantType,
                    $"grant_type must be 'authorization_code' or 'refresh_token'; was '{token.GrantType}'.");
        }

        return outcome.Reply is { } reply
            ? TypedResults.Json(reply, TrueLayerJsonContext.Default.TokenReply)
            : TrueLayerErrorWriter.Json(StatusCodes.Status400BadRequest, outcome.Error!);
    }

    private static IResult Missing(string description) =>
        TrueLayerErrorWriter.Json(StatusCodes.Status400BadRequest, TrueLayerError.InvalidRequest, description);

    private static bool Same(string sent, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
}
