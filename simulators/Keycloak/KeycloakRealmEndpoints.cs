using Microsoft.AspNetCore.WebUtilities;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Keycloak;

/// <summary>
/// The realm under <see cref="KeycloakRoutes.RealmPath"/>: the browser flow (login page, password form, OTP form,
/// redirect with a code), the token endpoint and a 404 for every other path.
/// </summary>
public static class KeycloakRealmEndpoints
{
    public static IEndpointRouteBuilder MapKeycloakRealm(this IEndpointRouteBuilder endpoints)
    {
        var realm = endpoints.MapGroup(KeycloakRoutes.RealmPath);

        realm.MapGet("/protocol/openid-connect/auth", Auth)
            .AsSimulatedRoute(endpoints, KeycloakRoutes.Auth, KeycloakErrorWriter.Instance);

        realm.MapPost("/login-actions/authenticate", AuthenticateAsync)
            .AsSimulatedRoute(endpoints, KeycloakRoutes.Authenticate, KeycloakErrorWriter.Instance);

        realm.MapPost("/protocol/openid-connect/token", TokenAsync)
            .AsSimulatedRoute(endpoints, KeycloakRoutes.Token, KeycloakErrorWriter.Instance);

        endpoints.Map($"{KeycloakRoutes.RealmPath}/{{**rest}}", (HttpRequest request) => KeycloakErrorWriter.Json(
                StatusCodes.Status404NotFound,
                KeycloakError.NotFound,
                $"{request.Method} {request.Path} is not served; the realm serves {KeycloakRoutes.RealmPath}/protocol/openid-connect/auth, /protocol/openid-connect/token and /login-actions/authenticate."))
            .AsSimulatedRoute(endpoints, KeycloakRoutes.NotFound, KeycloakErrorWriter.Instance);

        return endpoints;
    }

    /// <summary>The login page: a new login session, its cookies and the <c>kc-form-login</c> form.</summary>
    private static IResult Auth(HttpContext context, KeycloakRealm realm)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        if (clientId.Length == 0 || !realm.IsKnownClient(clientId))
        {
            return KeycloakPages.Error("Client not found.", StatusCodes.Status400BadRequest);
        }

        var redirectUri = query["redirect_uri"].ToString();
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || (redirect.Scheme != Uri.UriSchemeHttp && redirect.Scheme != Uri.UriSchemeHttps))
        {
            return KeycloakPages.Error("Invalid parameter: redirect_uri", StatusCodes.Status400BadRequest);
        }

        if (query["response_type"].ToString() != "code")
        {
            return KeycloakPages.Error("Invalid parameter: response_type", StatusCodes.Status400BadRequest);
        }

        var state = query.TryGetValue("state", out var sent) ? sent.ToString() : null;
        var session = realm.StartLogin(clientId, redirectUri, state);
        var cookie = new CookieOptions { Path = $"{KeycloakRoutes.RealmPath}/", HttpOnly = true, SameSite = SameSiteMode.Lax };
        context.Response.Cookies.Append(KeycloakRoutes.SessionCookie, session.Id, cookie);
        context.Response.Cookies.Append(KeycloakRoutes.RestartCookie, OpaqueCode.New(48), cookie);
        return KeycloakPages.Login(context.Request, session);
    }

    /// <summary>The action of both forms: the password step, then the OTP step, then the redirect with a code.</summary>
    private static async Task<IResult> AuthenticateAsync(HttpContext context, KeycloakRealm realm)
    {
        var request = context.Request;
        if (!request.Cookies.TryGetValue(KeycloakRoutes.SessionCookie, out var sessionId) || string.IsNullOrEmpty(sessionId))
        {
            return KeycloakPages.Error(KeycloakPages.CookieNotFound, StatusCodes.Status400BadRequest);
        }

        if (realm.FindLogin(sessionId) is not { } session)
        {
            return KeycloakPages.Error("Your login attempt timed out. Login will start from the beginning.", StatusCodes.Status400BadRequest);
        }

        var query = request.Query;
        if (query["session_code"] != session.SessionCode || query["execution"] != session.Execution
            || query["client_id"] != session.ClientId || query["tab_id"] != session.TabId)
        {
            // A client that posts to a stale action, or did not HTML-unescape &amp; in it, lands here.
            return KeycloakPages.Error(
                "Invalid request: session_code, execution, client_id and tab_id must be those of the current form's action (HTML-unescape &amp; in it).",
                StatusCodes.Status400BadRequest);
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
        string? Field(string name) => form is not null && form.TryGetValue(name, out var value) ? value.ToString() : null;

        if (session.Stage == LoginStage.Password)
        {
            var username = Field("username");
            if (!realm.CredentialsMatch(username, Field("password")))
            {
                realm.Advance(session, LoginStage.Password);
                return KeycloakPages.Login(request, session, KeycloakPages.InvalidCredentials, username);
            }

            realm.Advance(session, LoginStage.Otp);
            return KeycloakPages.Otp(request, session);
        }

        if (!realm.OtpMatches(Field("otp")))
        {
            realm.Advance(session, LoginStage.Otp);
            return KeycloakPages.Otp(request, session, KeycloakPages.InvalidOtp);
        }

        var code = realm.FinishLogin(session);
        var parameters = new List<KeyValuePair<string, string?>>();
        if (session.State is not null)
        {
            parameters.Add(new("state", session.State));
        }

        parameters.Add(new("session_state", session.Id));
        parameters.Add(new("code", code));
        return TypedResults.Redirect(QueryHelpers.AddQueryString(session.RedirectUri, parameters));
    }

    private static async Task<IResult> TokenAsync(HttpContext context, KeycloakRealm realm)
    {
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return Invalid("Send the token request as application/x-www-form-urlencoded.");
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        string? Field(string name) => form.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;

        if (Field("grant_type") is not { } grantType)
        {
            return Invalid("Missing form parameter: grant_type");
        }

        if (Field("client_id") is not { } clientId)
        {
            return Invalid("Missing form parameter: client_id");
        }

        if (!realm.IsKnownClient(clientId))
        {
            return KeycloakErrorWriter.Json(StatusCodes.Status401Unauthorized, KeycloakError.InvalidClient, "Invalid client or Invalid client credentials");
        }

        TokenGrantOutcome outcome;
        switch (grantType)
        {
            case KeycloakRealm.AuthorizationCodeGrant:
                if (Field("code") is not { } code || Field("redirect_uri") is not { } redirectUri)
                {
                    return Invalid("Missing parameter: code and redirect_uri are required for grant_type=authorization_code");
                }

                outcome = realm.RedeemCode(code, redirectUri, clientId);
                break;

            case KeycloakRealm.PasswordGrantType:
                if (Field("username") is not { } username || Field("password") is not { } password || Field("totp") is not { } totp)
                {
                    return Invalid("Missing parameter: username, password and totp are required for grant_type=password");
                }

                outcome = realm.PasswordGrant(username, password, totp);
                break;

            case KeycloakRealm.RefreshTokenGrant:
                if (Field("refresh_token") is not { } refreshToken)
                {
                    return Invalid("Missing parameter: refresh_token");
                }

                outcome = realm.Refresh(refreshToken);
                break;

            default:
                return KeycloakErrorWriter.Json(StatusCodes.Status400BadRequest, KeycloakError.UnsupportedGrantType, "Unsupported grant_type");
        }

        return outcome.Reply is { } reply
            ? TypedResults.Json(reply, KeycloakJsonContext.Default.KeycloakTokenReply)
            : KeycloakErrorWriter.Json(StatusCodes.Status401Unauthorized, KeycloakError.InvalidGrant, outcome.InvalidGrant!);
    }

    private static IResult Invalid(string description) =>
        KeycloakErrorWriter.Json(StatusCodes.Status400BadRequest, KeycloakError.InvalidRequest, description);
}
