namespace Tributary.Api.Auth;

/// <summary>What a key may do. An admin key holds both scopes.</summary>
public static class ApiKeyScopes
{
    public const string ClaimType = "scope";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static bool IsKnown(string? scope) => scope is Operator or Admin;

    /// <summary>Authorization policy names, equal to the scope they demand.</summary>
    public static class Policies
    {
        public const string Operator = ApiKeyScopes.Operator;
        public const string Admin = ApiKeyScopes.Admin;
    }
}
