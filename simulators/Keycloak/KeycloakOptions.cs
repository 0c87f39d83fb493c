namespace Tributary.Simulators.Keycloak;

/// <summary>The simulated Keycloak realm <c>vestr</c> (Vestr's identity provider), bound from <c>Simulators:Keycloak</c>.</summary>
public sealed class KeycloakOptions
{
    public const string Section = "Simulators:Keycloak";

    public const int MaxTokenSeconds = 86_400;

    /// <summary>How far the server clock may be set from the host clock, either way (one day).</summary>
    public const int MaxClockSkewSeconds = 86_400;

    /// <summary>The one public client the realm knows.</summary>
    public string ClientId { get; set; } = "vestr-app";

    /// <summary>The one user of the realm (a dev-only fake).</summary>
    public string Username { get; set; } = "tributary-sim";

    /// <summary>The user's password (a dev-only fake).</summary>
    public string Password { get; set; } = "sim-vestr-password-dev-only";

    /// <summary>The user's TOTP secret, base32 (RFC 4648, padding optional): a dev-only fake.</summary>
    public string TotpSecret { get; set; } = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    /// <summary>Lifetime of an access token, sent as <c>expires_in</c>.</summary>
    public int AccessTokenSeconds { get; set; } = 300;

    /// <summary>Lifetime of a refresh token, sent as <c>refresh_expires_in</c>.</summary>
    public int RefreshTokenSeconds { get; set; } = 1800;

    /// <summary>
    /// The realm's clock runs this many seconds ahead of the host's <see cref="TimeProvider"/> (negative: behind);
    /// TOTP codes are checked and <c>Date</c> headers written by it. The admin API changes it at run time.
    /// </summary>
    public int ClockSkewSeconds { get; set; }
}
