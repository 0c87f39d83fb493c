using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Tributary.Api.Auth;

/// <summary>
/// Authenticates <c>X-Api-Key</c>, or HTTP Basic with the key as password: browsers prompt for Basic, so a
/// person can open the dashboard and the API docs with the same key a script sends in the header.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (registry.Find(presented) is not { } holder)
        {
            LogRejected(Logger, Request.Path);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, holder.Name),
            new(ApiCaller.UserClaimType, holder.User),
            new(ApiKeyScopes.ClaimType, ApiKeyScopes.Operator),
        };
        if (holder.Scope == ApiKeyScopes.Admin)
        {
            claims.Add(new Claim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // Two challenges, Basic first: browsers only answer a Basic challenge they can parse on its own.
        Response.Headers.WWWAuthenticate = new StringValues(["Basic realm=\"Tributary\", charset=\"UTF-8\"", $"{SchemeName} header=\"{HeaderName}\""]);
        var detail = PresentedKey() is null
            ? $"Send an API key in the {HeaderName} header."
            : "The API key is not valid.";
        await WriteProblemAsync("Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Forbidden", "This API key's scope does not allow this route; it needs an admin key.");
    }

    private Task WriteProblemAsync(string title, string detail) => problems.WriteAsync(new ProblemDetailsContext
    {
        HttpContext = Context,
        ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
    }).AsTask();

    private string? PresentedKey()
    {
        if (Request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        const string basic = "Basic ";
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(basic, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[basic.Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an unknown API key on {Path}")]
    private static partial void LogRejected(ILogger logger, PathString path);
}
