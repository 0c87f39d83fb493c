namespace Tributary.Simulators.Keycloak;

/// <summary>Keycloak's OAuth error body: <c>{"error":"invalid_grant","error_description":"Invalid user credentials"}</c>.</summary>
public sealed record KeycloakError(string Error, string ErrorDescription)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string ServerError = "server_error";
    public const string NotFound = "not_found";

    public const string InvalidCredentials = "Invalid user credentials";
    public const string InvalidOtp = "Invalid authenticator code";
    public const string TokenNotActive = "Token is not active";
    public const string CodeNotValid = "Code not valid";
    public const string IncorrectRedirectUri = "Incorrect redirect_uri";
}
