using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Tributary.Simulators.Keycloak;

/// <summary>
/// The HTML pages of the browser flow, shaped like Keycloak's keycloak.v2 theme where a client reads them: the
/// forms' ids, their <c>action</c> (absolute, with <c>&amp;amp;</c> between parameters), the input names, and the
/// <c>input-error</c> span holding the message after a failed attempt.
/// </summary>
public static class KeycloakPages
{
    public const string LoginFormId = "kc-form-login";
    public const string OtpFormId = "kc-otp-login-form";
    public const string InvalidCredentials = "Invalid username or password.";
    public const string InvalidOtp = "Invalid authenticator code.";
    public const string CookieNotFound = "Cookie not found. Please make sure cookies are enabled in your browser.";

    /// <summary>The absolute URL the current form of <paramref name="session"/> posts to.</summary>
    public static string ActionUrl(HttpRequest request, LoginSession session) =>
        QueryHelpers.AddQueryString(
            $"{request.Scheme}://{request.Host}{request.PathBase}{KeycloakRoutes.RealmPath}/login-actions/authenticate",
            new Dictionary<string, string?>
            {
                ["session_code"] = session.SessionCode,
                ["execution"] = session.Execution,
                ["client_id"] = session.ClientId,
                ["tab_id"] = session.TabId,
            });

    public static IResult Login(HttpRequest request, LoginSession session, string? error = null, string? username = null)
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"kc-page-title\">Sign in to your account</h1>\n");
        AppendError(body, error);
        body.Append($"<form id=\"{LoginFormId}\" class=\"form\" onsubmit=\"login.disabled = true; return true;\" action=\"{Html(ActionUrl(request, session))}\" method=\"post\" novalidate=\"novalidate\">\n");
        body.Append($"  <label for=\"username\">Username or email</label>\n  <input tabindex=\"2\" id=\"username\" name=\"username\" value=\"{Html(username ?? string.Empty)}\" type=\"text\" autofocus autocomplete=\"username\" aria-invalid=\"{(error is null ? "false" : "true")}\"/>\n");
        body.Append("  <label for=\"password\">Password</label>\n  <input tabindex=\"3\" id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"/>\n");
        body.Append("  <input type=\"hidden\" id=\"id-hidden-input\" name=\"credentialId\"/>\n");
        body.Append("  <button tabindex=\"7\" name=\"login\" id=\"kc-login\" type=\"submit\">Sign In</button>\n</form>\n");
        return Page("Sign in to vestr", body.ToString(), StatusCodes.Status200OK);
    }

    public static IResult Otp(HttpRequest request, LoginSession session, string? error = null)
    {
        var body = new StringBuilder();
        body.Append("<h1 id=\"kc-page-title\">Sign in to your account</h1>\n");
        AppendError(body, error);
        body.Append($"<form id=\"{OtpFormId}\" class=\"form\" onsubmit=\"login.disabled = true; return true;\" action=\"{Html(ActionUrl(request, session))}\" method=\"post\">\n");
        body.Append("  <label for=\"otp\">One-time code</label>\n  <input id=\"otp\" name=\"otp\" autocomplete=\"off\" type=\"text\" autofocus/>\n");
        body.Append("  <input name=\"login\" id=\"kc-login\" type=\"submit\" value=\"Sign In\"/>\n</form>\n");
        return Page("Sign in to vestr", body.ToString(), StatusCodes.Status200OK);
    }

    /// <summary>Keycloak's error page ("We are sorry..."), with the message in <c>kc-error-message</c>.</summary>
    public static IResult Error(string message, int statusCode) =>
        Page(
            "Sign in to vestr",
            $"<h1 id=\"kc-page-title\">We are sorry...</h1>\n<div id=\"kc-error-message\">\n  <p class=\"instruction\">{Html(message)}</p>\n</div>\n",
            statusCode);

    private static void AppendError(StringBuilder body, string? error)
    {
        if (error is not null)
        {
            body.Append($"<div class=\"alert-error\"><span id=\"input-error\" class=\"kc-feedback-text\" aria-live=\"polite\">{Html(error)}</span></div>\n");
        }
    }

    private static ContentHttpResult Page(string title, string body, int statusCode) =>
        TypedResults.Content(
            $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>{Html(title)}</title>\n</head>\n<body id=\"keycloak-bg\">\n<div id=\"kc-header-wrapper\">VESTR</div>\n<div id=\"kc-content\">\n{body}</div>\n</body>\n</html>\n",
            "text/html; charset=utf-8",
            Encoding.UTF8,
            statusCode);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
