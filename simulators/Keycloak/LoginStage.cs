namespace Tributary.Simulators.Keycloak;

/// <summary>The step a browser login waits for.</summary>
public enum LoginStage
{
    /// <summary>The <c>kc-form-login</c> form: username and password.</summary>
    Password,

    /// <summary>The <c>kc-otp-login-form</c> form: the TOTP code.</summary>
    Otp,
}

/// <summary>Keycloak's execution ids of the two authenticators (fixed per realm there, as here).</summary>
public static class LoginStages
{
    public static string ExecutionOf(LoginStage stage) => stage switch
    {
        LoginStage.Password => "5b1a0c53-0a4e-4a39-9a7c-2f6b3f1f5a01",
        _ => "9d3e7f21-6c58-4b8e-b7d2-0e4c8a6b9c02",
    };
}
