namespace Tributary.Simulators.Keycloak;

/// <summary>
/// One browser login in progress (Keycloak's authentication session), found by the <c>AUTH_SESSION_ID</c> cookie;
/// the form's <c>session_code</c> and <c>execution</c> change at every step, as Keycloak's do.
/// </summary>
public sealed class LoginSession(string id, string clientId, string redirectUri, string? state, string tabId, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public string ClientId { get; } = clientId;

    public string RedirectUri { get; } = redirectUri;

    public string? State { get; } = state;

    public string TabId { get; } = tabId;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>Which form the session waits for.</summary>
    public LoginStage Stage { get; set; } = LoginStage.Password;

    /// <summary>The <c>session_code</c> the current form's action carries.</summary>
    public string SessionCode { get; set; } = OpaqueCode.New();

    /// <summary>The <c>execution</c> (authenticator id) the current form's action carries.</summary>
    public string Execution { get; set; } = LoginStages.ExecutionOf(LoginStage.Password);
}
