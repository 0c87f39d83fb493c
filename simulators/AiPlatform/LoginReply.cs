namespace Tributary.Simulators.AiPlatform;

/// <summary>The login's success reply: <c>{"access_token","token_type":"Bearer","expires_in"}</c>.</summary>
public sealed record LoginReply(string AccessToken, string TokenType, int ExpiresIn);
