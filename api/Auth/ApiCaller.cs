using System.Security.Claims;

namespace Tributary.Api.Auth;

/// <summary>Who is calling: the user their key acts for, the key's name, and whether it is an admin key.</summary>
/// <remarks>
/// What a user creates (webhooks now; bank connections, imports and analysis tasks later) is theirs: an operator key
/// sees only its user's, and another user's id answers 404, as if it did not exist. An admin key sees everyone's.
/// </remarks>
public sealed record ApiCaller(string User, string Name, bool IsAdmin)
{
    /// <summary>The claim carrying the user.</summary>
    public const string UserClaimType = "tributary:user";

    /// <summary>The key's widest scope: <c>admin</c> or <c>operator</c>.</summary>
    public string Scope => IsAdmin ? ApiKeyScopes.Admin : ApiKeyScopes.Operator;

    /// <summary>The owner whose rows this caller may see, or null for all of them (an admin key).</summary>
    public string? OwnerFilter => IsAdmin ? null : User;

    /// <summary>The caller of an authenticated request.</summary>
    public static ApiCaller From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? throw new InvalidOperationException("The request is not authenticated with an API key.");
        return new ApiCaller(principal.FindFirstValue(UserClaimType) ?? name, name, principal.HasClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin));
    }
}
