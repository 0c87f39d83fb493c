namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// <c>POST /connect/token</c>: <c>{"access_token","expires_in":3600,"token_type":"Bearer","refresh_token","scope"}</c>.
/// </summary>
public sealed record TokenReply(string AccessToken, int ExpiresIn, string TokenType, string RefreshToken, string Scope);
