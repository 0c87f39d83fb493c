using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Tributary.Api.Auth;
using Tributary.Api.WebConsole.Components;

namespace Tributary.Api.WebConsole;

/// <summary>
/// The web console at <c>/console</c>: Blazor Server pages over the gateway's own HTTP routes. A person signs in with an
/// API key once; a cookie of its own scheme carries the key (inside the Data-Protection-encrypted ticket) to the pages,
/// which send it to the API like any script would, so every refusal is the API's.
/// </summary>
/// <remarks>
/// The cookie scheme is never the default: <c>/api/*</c> and every other route still authenticate with the API key
/// scheme only, so a console cookie opens no API route. Only the console's own endpoints name this scheme.
/// </remarks>
public static class WebConsoleSetup
{
    public const string Scheme = "Console";
    public const string Policy = "console";
    public const string SignInPath = "/console/signin";
    public const string SignOutPath = "/console/signout";

    /// <summary>The claim holding the signed-in user's API key; it lives only inside the encrypted cookie ticket.</summary>
    public const string KeyClaimType = "tributary:console-key";

    public static AuthenticationBuilder AddWebConsoleCookie(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "tributary-console";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.AccessDeniedPath = SignInPath;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            // A key removed from configuration ends the sessions signed in with it at their next request.
            options.Events.OnValidatePrincipal = context =>
            {
                var key = context.Principal?.FindFirstValue(KeyClaimType);
                if (key is null || context.HttpContext.RequestServices.GetRequiredService<ApiKeyRegistry>().Find(key) is null)
                {
                    context.RejectPrincipal();
                }

                return Task.CompletedTask;
            };
        });

    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddSingleton<GatewayLoopback>();
        services.AddHttpClient(ConsoleApiClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        services.AddScoped<ConsoleApiClient>();
        return services;
    }

    /// <summary>The signed-in principal of a key the API accepted: its user, name and scopes, and the key itself.</summary>
    public static ClaimsPrincipal Principal(string key, string user, string name, string scope)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(ApiCaller.UserClaimType, user),
            new(ApiKeyScopes.ClaimType, ApiKeyScopes.Operator),
            new(KeyClaimType, key),
        };
        if (scope == ApiKeyScopes.Admin)
        {
            claims.Add(new Claim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme));
    }

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        // blazor.web.js and the console's stylesheet; anonymous, as the sign-in page needs them.
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(WebConsoleSetup).Assembly.GetName().Name}.staticwebassets.endpoints.json");
        app.MapStaticAssets(manifest).AllowAnonymous();
        app.MapRazorComponents<ConsoleApp>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(Policy);
        app.MapPost(SignOutPath, async (HttpContext context) =>
            {
                await context.SignOutAsync(Scheme);
                return TypedResults.LocalRedirect(SignInPath);
            })
            .RequireAuthorization(Policy)
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }
}
