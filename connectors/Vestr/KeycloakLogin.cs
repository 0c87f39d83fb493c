using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Vestr;

/// <summary>
/// Logs the configured Vestr user in at Vestr's identity provider (Keycloak, password and TOTP code), the way
/// <see cref="VestrOptions.LoginFlow"/> says, and refreshes the tokens. Register it with
/// <see cref="VestrServiceCollectionExtensions.AddVestrClients"/>; <see cref="VestrSession"/> keeps its tokens.
/// </summary>
/// <remarks>
/// <para>
/// The browser flow walks the login pages as a browser does: the authorization endpoint's page, its form
/// <c>kc-form-login</c> (username, password), the form <c>kc-otp-login-form</c> (the code), then Keycloak's redirect
/// to <see cref="VestrOptions.RedirectUri"/>, whose <c>code</c> is read from the <c>Location</c> header (never followed)
/// and exchanged at the token endpoint. Cookies live in one container per login attempt, so two logins never share a
/// Keycloak session. The direct grant posts it all to the token endpoint at once.
/// </para>
/// <para>
/// One attempt per HTTP call, each bounded by <see cref="VestrOptions.Timeout"/>, and no retry. Every failure is an
/// <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>): permanent with <see cref="UpstreamException.ErrorCode"/>
/// <c>invalid_credentials</c>, <c>invalid_otp</c> or <c>clock_drift</c> when the login is refused; transient for 408,
/// 429, 5xx, timeouts, dropped connections and pages that are not Keycloak's login pages. No message contains the
/// username, the password, the TOTP secret, a code, a cookie or a token.
/// </para>
/// </remarks>
public sealed class KeycloakLogin
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of every login failure.</summary>
    public const string Upstream = "keycloak";

    /// <summary>The username or the password was refused.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>The authenticator code was refused and the clocks agree: the TOTP secret is wrong.</summary>
    public const string InvalidOtp = "invalid_otp";

    /// <summary>The authenticator code was refused and Keycloak's clock is off this host's by more than <see cref="VestrOptions.MaxClockDrift"/>.</summary>
    public const string ClockDrift = "clock_drift";

    /// <summary>The form of the login page that takes the username and the password.</summary>
    public const string LoginFormId = "kc-form-login";

    /// <summary>The form of the page that takes the authenticator code.</summary>
    public const string OtpFormId = "kc-otp-login-form";

    private const string AuthPath = "protocol/openid-connect/auth";
    private const string TokenPath = "protocol/openid-connect/token";
    private const string Name = "Vestr's login (Keycloak)";
    private const string Section = VestrOptions.Section;

    /// <summary>The most pages and redirects one browser login walks before it gives up.</summary>
    private const int MaxSteps = 8;

    private readonly VestrOptions _options;
    private readonly Uri _root;
    private readonly Uri _redirectUri;
    private readonly TimeProvider _time;
    private readonly UpstreamCall _upstream;

    /// <summary>
    /// Made by the HTTP client factory; see <see cref="VestrServiceCollectionExtensions.AddVestrClients"/>. The
    /// <paramref name="http"/> client must neither follow redirects nor keep cookies itself.
    /// </summary>
    public KeycloakLogin(HttpClient http, IOptions<VestrOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _time = time;
        _root = Root(_options.KeycloakUrl, "KeycloakUrl");
        _redirectUri = _options.RedirectUri ?? new Uri("http://127.0.0.1/vestr/callback");
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            Name,
            "Keycloak",
            Section,
            _root,
            _options.Timeout,
            [_options.Password, _options.TotpSecret, _options.Username],
            Advice,
            $"The login request itself is wrong: check {Section}:KeycloakUrl, {Section}:ClientId, {Section}:RedirectUri and {Section}:LoginFlow; retrying will not help.",
            Malformed,
            UrlSetting: "KeycloakUrl"));
    }

    /// <summary>Logs in with the configured user, password and TOTP code, by <see cref="VestrOptions.LoginFlow"/>.</summary>
    /// <exception cref="UpstreamException">
    /// The login failed: permanent <c>invalid_credentials</c>, <c>invalid_otp</c> or <c>clock_drift</c> when Keycloak
    /// refused it; see <see cref="UpstreamException.IsTransient"/> for the rest.
    /// </exception>
    public Task<KeycloakTokens> LoginAsync(CancellationToken ct) =>
        string.Equals(_options.LoginFlow, VestrOptions.DirectGrantFlow, StringComparison.Ordinal)
            ? DirectGrantAsync(ct)
            : BrowserLoginAsync(ct);

    /// <summary>The next tokens for <paramref name="refreshToken"/>, without a new login.</summary>
    /// <exception cref="UpstreamException">
    /// The refresh failed; <c>invalid_grant</c> (permanent) when Keycloak's session ended or the token expired: log in again.
    /// </exception>
    public Task<KeycloakTokens> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        return TokenAsync(
            "refresh",
            [
                new("grant_type", "refresh_token"),
                new("client_id", _options.ClientId),
                new("refresh_token", refreshToken),
            ],
            [refreshToken],
            refusal => refusal.Code == "invalid_grant"
                ? Refused(refusal, $"{Name} refused the refresh token (invalid_grant): the Keycloak session has ended or expired; log in again.", "invalid_grant")
                : null,
            seen: null,
            ct);
    }

    private async Task<KeycloakTokens> DirectGrantAsync(CancellationToken ct)
    {
        var code = VestrTotp.Code(_options.TotpSecret ?? string.Empty, _time.GetUtcNow());
        KeycloakPage? reply = null;
        return await TokenAsync(
            "direct grant",
            [
                new("grant_type", "password"),
                new("client_id", _options.ClientId),
                new("username", _options.Username ?? string.Empty),
                new("password", _options.Password ?? string.Empty),
                new("totp", code),
                new("scope", "openid"),
            ],
            [code],
            refusal =>
            {
                if (refusal.Code != "invalid_grant")
                {
                    return null;
                }

                var said = refusal.Reason ?? string.Empty;
                var aboutCode = said.Contains("otp", StringComparison.OrdinalIgnoreCase)
                    || said.Contains("authenticator", StringComparison.OrdinalIgnoreCase)
                    || said.Contains("code", StringComparison.OrdinalIgnoreCase);
                var drift = reply is null ? null : Drift(reply);
                return aboutCode || (drift is { } seconds && Math.Abs(seconds) > _options.MaxClockDrift.TotalSeconds)
                    ? CodeRefused(refusal.Status, drift, refusal.Reason)
                    : CredentialsRefused(refusal.Status, refusal.Reason);
            },
            seen: response => reply = Seen(response, new Uri(_root, TokenPath)),
            ct);
    }

    private async Task<KeycloakTokens> BrowserLoginAsync(CancellationToken ct)
    {
        var cookies = new CookieContainer();
        var state = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var start = new Uri(
            _root,
            QueryHelpers.AddQueryString(
                AuthPath,
                new Dictionary<string, string?>
                {
                    ["client_id"] = _options.ClientId,
                    ["redirect_uri"] = _redirectUri.OriginalString,
                    ["response_type"] = "code",
                    ["scope"] = "openid",
                    ["state"] = state,
                }));
        var page = await StepAsync(HttpMethod.Get, "login page", start, form: null, cookies, [], ct);
        string? otp = null;
        var passwordSent = false;
        for (var step = 1; ; step++)
        {
            if (step > MaxSteps)
            {
                throw Malformed("login", $"the login did not reach {Section}:RedirectUri within {MaxSteps} pages and redirects", null);
            }

            if (page.Location is { } location)
            {
                if (IsCallback(location))
                {
                    var code = Callback(location, state);
                    return await TokenAsync(
                        "code exchange",
                        [
                            new("grant_type", "authorization_code"),
                            new("client_id", _options.ClientId),
                            new("code", code),
                            new("redirect_uri", _redirectUri.OriginalString),
                        ],
                        [code],
                        explain: null,
                        seen: null,
                        ct);
                }

                page = await StepAsync(HttpMethod.Get, "login redirect", OnKeycloak(location, page.Url, "redirect"), form: null, cookies, otp is null ? [] : [otp], ct);
                continue;
            }

            if (page.Status == 400)
            {
                throw new UpstreamException(
                    Upstream,
                    $"{Name} refused {page.Shown} with {page.StatusLine}{(page.Feedback is { } reason ? $": {reason.TrimEnd('.')}." : ".")} "
                    + $"The login request itself is wrong: check {Section}:KeycloakUrl, {Section}:ClientId, {Section}:RedirectUri and {Section}:LoginFlow; retrying will not help.",
                    page.Status,
                    isTransient: false);
            }

            if (page.Form(OtpFormId) is { } otpForm)
            {
                if (otp is not null)
                {
                    throw CodeRefused(page.Status, Drift(page), page.Feedback);
                }

                otp = VestrTotp.Code(_options.TotpSecret ?? string.Empty, _time.GetUtcNow());
                page = await StepAsync(HttpMethod.Post, "authenticator code form", Action(otpForm, page.Url), [.. Hidden(otpForm), new("otp", otp)], cookies, [otp], ct);
                continue;
            }

            if (page.Form(LoginFormId) is { } loginForm)
            {
                if (passwordSent)
                {
                    throw CredentialsRefused(page.Status, page.Feedback);
                }

                passwordSent = true;
                page = await StepAsync(
                    HttpMethod.Post,
                    "login form",
                    Action(loginForm, page.Url),
                    [.. Hidden(loginForm), new("username", _options.Username ?? string.Empty), new("password", _options.Password ?? string.Empty)],
                    cookies,
                    [],
                    ct);
                continue;
            }

            throw Malformed(
                page.Shown,
                $"a page with neither the login form ({LoginFormId}) nor the authenticator code form ({OtpFormId}){(page.Feedback is { } said ? $"; it said: {said}" : string.Empty)}",
                null);
        }
    }

    /// <summary>One page or redirect of the browser flow, with this login's cookies sent and kept.</summary>
    private async Task<KeycloakPage> StepAsync(
        HttpMethod method,
        string shown,
        Uri url,
        IReadOnlyList<KeyValuePair<string, string>>? form,
        CookieContainer cookies,
        IReadOnlyList<string> secrets,
        CancellationToken ct)
    {
        IReadOnlyList<string?> masked = [.. secrets, .. cookies.GetAllCookies().Select(cookie => cookie.Value)];
        KeycloakPage? page = null;
        var document = await _upstream.SendAsync(
            new UpstreamRequest(method, shown, url.AbsoluteUri)
            {
                Headers = headers =>
                {
                    headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                    if (cookies.GetCookieHeader(url) is { Length: > 0 } cookie)
                    {
                        headers.Add("Cookie", cookie);
                    }
                },
                Form = form,
                Secrets = masked,
                Answers = status => status is (>= 300 and <= 399) or 400,
                Seen = response =>
                {
                    if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
                    {
                        foreach (var setCookie in setCookies)
                        {
                            try
                            {
                                cookies.SetCookies(url, setCookie);
                            }
                            catch (CookieException)
                            {
                                // A cookie this host cannot keep (another domain, say): a browser would drop it too.
                            }
                        }
                    }

                    page = Seen(response, url);
                },
            },
            async (content, token) =>
            {
                var html = await content.ReadAsStringAsync(token);
                return string.IsNullOrWhiteSpace(html) ? null : await new HtmlParser().ParseDocumentAsync(html, token);
            },
            ct);
        return page! with { Shown = $"{method.Method} {shown}", Document = document, Secrets = [.. masked, .. cookies.GetAllCookies().Select(cookie => cookie.Value), _options.Password, _options.TotpSecret, _options.Username] };
    }

    private KeycloakPage Seen(HttpResponseMessage response, Uri url) => new(
        url,
        (int)response.StatusCode,
        $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(),
        (int)response.StatusCode is >= 300 and <= 399 && response.Headers.Location is { } location
            ? (location.IsAbsoluteUri ? location : new Uri(url, location))
            : null,
        response.Headers.Date,
        _time.GetUtcNow());

    private async Task<KeycloakTokens> TokenAsync(
        string shown,
        IReadOnlyList<KeyValuePair<string, string>> form,
        IReadOnlyList<string> secrets,
        Func<UpstreamRefusal, UpstreamException?>? explain,
        Action<HttpResponseMessage>? seen,
        CancellationToken ct)
    {
        var call = $"POST {TokenPath} ({shown})";
        var root = await _upstream.SendAsync(
            new UpstreamRequest(HttpMethod.Post, $"{TokenPath} ({shown})", TokenPath)
            {
                Headers = headers => headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")),
                Form = form,
                Secrets = secrets,
                Seen = seen,
                Explain = refusal => explain?.Invoke(refusal) ?? refusal.Code switch
                {
                    "invalid_client" or "unauthorized_client" => Refused(
                        refusal,
                        $"{Name} refused the client ({refusal.Code}): check {Section}:ClientId, and that the client allows the {(shown == "direct grant" ? "direct grant" : "standard")} flow ({Section}:LoginFlow); retrying will not help.",
                        refusal.Code),
                    _ => null,
                },
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                return document.RootElement.Clone();
            },
            ct);
        var now = _time.GetUtcNow();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(call, "the body is not a JSON object", null);
        }

        var accessToken = root.TryGetProperty("access_token", out var access) && access.ValueKind == JsonValueKind.String && access.GetString() is { Length: > 0 } a
            ? a
            : throw Malformed(call, "access_token is missing or empty", null);
        var expiresIn = Seconds(root, "expires_in") is { } seconds and > 0
            ? seconds
            : throw Malformed(call, "expires_in is missing or not a whole number of seconds above 0", null);
        var refreshToken = root.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String && refresh.GetString() is { Length: > 0 } r ? r : null;
        var refreshExpiresIn = Seconds(root, "refresh_expires_in");
        return new KeycloakTokens(
            accessToken,
            now.AddSeconds(expiresIn),
            refreshToken,
            refreshToken is not null && refreshExpiresIn is > 0 ? now.AddSeconds(refreshExpiresIn.Value) : null);
    }

    private static int? Seconds(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var seconds) ? seconds : null;

    /// <summary>Whether a redirect goes back to the client (<see cref="VestrOptions.RedirectUri"/>): the end of the login pages.</summary>
    private bool IsCallback(Uri location) =>
        string.Equals(location.GetLeftPart(UriPartial.Path), _redirectUri.GetLeftPart(UriPartial.Path), StringComparison.OrdinalIgnoreCase);

    /// <summary>The authorization code of the redirect back to the client, its state checked.</summary>
    private static string Callback(Uri location, string state)
    {
        var query = QueryHelpers.ParseQuery(location.Query);
        if (query.TryGetValue("error", out var error))
        {
            var description = query.TryGetValue("error_description", out var said) ? $": {said}" : string.Empty;
            throw new UpstreamException(
                Upstream,
                $"{Name} ended the login with {error}{description}. Check {Section}:ClientId, {Section}:RedirectUri and that the Vestr user may use the client; retrying will not help.",
                (int)HttpStatusCode.Found,
                isTransient: false,
                errorCode: error.ToString());
        }

        if (!query.TryGetValue("state", out var returned) || returned.ToString() != state)
        {
            throw Malformed("login", $"the redirect to {Section}:RedirectUri carries another state than the login sent", null);
        }

        return query.TryGetValue("code", out var code) && code.ToString() is { Length: > 0 } value
            ? value
            : throw Malformed("login", $"the redirect to {Section}:RedirectUri carries no code", null);
    }

    /// <summary>
    /// A form's <c>action</c> (AngleSharp has unescaped <c>&amp;amp;</c> already), resolved against its page; it must
    /// stay on Keycloak's host, or the password would go elsewhere.
    /// </summary>
    private Uri Action(IHtmlFormElement form, Uri page)
    {
        var action = form.GetAttribute("action");
        return OnKeycloak(string.IsNullOrWhiteSpace(action) ? page : new Uri(page, action), page, $"form {form.Id}");
    }

    private Uri OnKeycloak(Uri url, Uri page, string what) =>
        url.Scheme == _root.Scheme && string.Equals(url.Authority, _root.Authority, StringComparison.OrdinalIgnoreCase)
            ? url
            : throw new UpstreamException(
                Upstream,
                $"{Name} sent the {what} of {page.AbsolutePath} to another host ({url.GetLeftPart(UriPartial.Authority)}) than {Section}:KeycloakUrl; "
                + $"the credentials are not sent there. Check {Section}:KeycloakUrl (it must be the realm root Keycloak itself names); retrying will not help.",
                statusCode: null,
                isTransient: false);

    /// <summary>The hidden inputs a form carries (Keycloak's <c>credentialId</c>, say), sent back as they are.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Hidden(IHtmlFormElement form) =>
        form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden][name]")
            .Select(input => new KeyValuePair<string, string>(input.Name!, input.Value));

    /// <summary>
    /// Keycloak's clock minus this host's in whole seconds, positive when Keycloak is ahead; null when the reply had
    /// no <c>Date</c>.
    /// </summary>
    /// <remarks>
    /// <c>Date</c> has whole seconds, so it is compared with the time the reply arrived, rounded up: a clock that
    /// agrees reads 0, one exactly 90 s ahead reads 90.
    /// </remarks>
    internal static int? Drift(KeycloakPage page) =>
        page.Date is { } date ? (int)Math.Ceiling((date - page.ReceivedAt).TotalSeconds) : null;

    private UpstreamException CredentialsRefused(int status, string? said) => new(
        Upstream,
        $"{Name} refused the username or password ({Section}:Username / {Section}:Password): check both settings, and that the Vestr user is neither disabled nor locked out in Keycloak; "
        + $"retrying will not help.{Said(said)}",
        status,
        isTransient: false,
        InvalidCredentials);

    private UpstreamException CodeRefused(int status, int? drift, string? said)
    {
        var max = _options.MaxClockDrift;
        if (drift is { } seconds && Math.Abs(seconds) > max.TotalSeconds)
        {
            return new UpstreamException(
                Upstream,
                $"{Name} refused the authenticator code (TOTP) with a clock drift of {seconds.ToString(CultureInfo.InvariantCulture)} s: TOTP codes will fail; fix the system clock "
                + $"(the drift is Keycloak's clock, from its Date header, minus this host's, in whole seconds: positive when Keycloak is ahead; more than {Section}:MaxClockDrift, {max:c}, apart). "
                + $"Synchronise this host's or Keycloak's clock (NTP); if both are right, check {Section}:TotpSecret.{Said(said)}",
                status,
                isTransient: false,
                ClockDrift);
        }

        var clocks = drift is { } agreed
            ? $"the clocks agree (drift {agreed.ToString(CultureInfo.InvariantCulture)} s, within {Section}:MaxClockDrift, {max:c})"
            : "Keycloak sent no Date header, so its clock could not be compared with this host's";
        return new UpstreamException(
            Upstream,
            $"{Name} refused the authenticator code (TOTP): check {Section}:TotpSecret, the base32 secret of the Vestr user's authenticator; {clocks}. Retrying will not help.{Said(said)}",
            status,
            isTransient: false,
            InvalidOtp);
    }

    private static string Said(string? said) => said is { Length: > 0 } text ? $" Keycloak said: {text.TrimEnd('.')}." : string.Empty;

    private static UpstreamException Refused(UpstreamRefusal refusal, string message, string? code) =>
        new(Upstream, message, refusal.Status, UpstreamException.IsTransientStatus(refusal.Status), code, refusal.RetryAfter);

    /// <summary>The failure for a reply that is not one of Keycloak's: usually a truncated body or a proxy's page, so transient.</summary>
    private static UpstreamException Malformed(string call, string why, Exception? inner) => new(
        Upstream,
        $"{Name} answered {call} with {why}. This is usually passing: retry later; if it persists, check {Section}:KeycloakUrl (the realm root) and {Section}:LoginFlow, "
        + "or Keycloak's login pages have changed and this connector needs updating.",
        statusCode: null,
        isTransient: true,
        inner: inner);

    private static string? Advice(int status) => status switch
    {
        401 or 403 => $"Check {Section}:Username, {Section}:Password, {Section}:TotpSecret and {Section}:ClientId; retrying will not help.",
        404 => $"Check that {Section}:KeycloakUrl is the realm root (such as http://127.0.0.1:5090/keycloak/realms/vestr/); retrying will not help.",
        _ => null,
    };

    /// <summary>The root a relative path resolves under: the setting with a trailing slash.</summary>
    internal static Uri Root(Uri? url, string setting)
    {
        if (url is not { IsAbsoluteUri: true })
        {
            throw new OptionsValidationException(
                Section,
                typeof(VestrOptions),
                [$"{Section}:{setting} must be an absolute http or https URL; was '{url?.OriginalString}'."]);
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}

/// <summary>One reply of the browser flow: a page, or a redirect, and when it came.</summary>
/// <param name="Url">Where it was asked for.</param>
/// <param name="StatusLine">The status and its reason phrase: <c>400 Bad Request</c>.</param>
/// <param name="Location">Where a redirect points, resolved; null for a page.</param>
/// <param name="Date">Keycloak's clock, from its <c>Date</c> header.</param>
/// <param name="ReceivedAt">This host's clock when the reply came.</param>
internal sealed record KeycloakPage(Uri Url, int Status, string StatusLine, Uri? Location, DateTimeOffset? Date, DateTimeOffset ReceivedAt)
{
    /// <summary>The call as messages show it.</summary>
    public string Shown { get; init; } = string.Empty;

    public IDocument? Document { get; init; }

    /// <summary>What no message about this page may contain (the codes and cookies of the login).</summary>
    public IReadOnlyList<string?> Secrets { get; init; } = [];

    /// <summary>The form of that id, if the page has one.</summary>
    public IHtmlFormElement? Form(string id) => Document?.GetElementById(id) as IHtmlFormElement;

    /// <summary>The error the page shows (Keycloak's <c>input-error</c> or feedback), redacted; null when none.</summary>
    public string? Feedback =>
        Document?.QuerySelector("#input-error, #input-error-otp-code, .kc-feedback-text, #kc-error-message, .alert-error") is { } element
        && string.Join(' ', element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } text
            ? UpstreamReply.Redact(text.Length <= UpstreamReply.MaxQuotedBodyLength ? text : text[..UpstreamReply.MaxQuotedBodyLength] + "...", Secrets)
            : null;
}
