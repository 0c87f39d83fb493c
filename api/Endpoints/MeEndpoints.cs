using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Auth;

namespace Tributary.Api.Endpoints;

/// <summary><c>GET /api/me</c>: who the presented key says the caller is.</summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (ClaimsPrincipal principal) => Me(ApiCaller.From(principal)))
            .WithTags("Auth")
            .WithSummary("The user this API key acts for (what it creates is theirs), the key's name and its scope (operator or admin).");
        return app;
    }

    private static Ok<MeView> Me(ApiCaller caller) => TypedResults.Ok(new MeView(caller.User, caller.Name, caller.Scope));
}

/// <summary>The caller: <paramref name="User"/> owns what the key creates; <paramref name="Name"/> is the key's; <paramref name="Scope"/> is <c>operator</c> or <c>admin</c>.</summary>
public sealed record MeView(string User, string Name, string Scope);
