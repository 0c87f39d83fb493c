using System.Net;

namespace Tributary.Simulators.Tests.AiPlatform;

/// <summary>The login: a bearer token for the right user, 401 for a wrong one, 403 for a wrong key or tenant, 400 for a bad body.</summary>
public sealed class AiPlatformLoginTests
{
    [Fact]
    public async Task TheRightLoginGivesABearerTokenOfTheConfiguredLifetime()
    {
        await using var platform = await AiPlatformInstance.StartAsync("Simulators:AiPlatform:TokenSeconds=900");

        using var first = await platform.LoginAsync();
        var reply = await AiPlatformInstance.ReadAsync(first, HttpStatusCode.OK);
        var second = await platform.TokenAsync();
        var admin = await platform.AdminAsync();

        Assert.Equal(["access_token", "token_type", "expires_in"], reply.EnumerateObject().Select(property => property.Name));
        Assert.Equal(("Bearer", 900), (reply.GetProperty("token_type").GetString(), reply.GetProperty("expires_in").GetInt32()));
        Assert.Equal(43, reply.GetProperty("access_token").GetString()!.Length);
        Assert.NotEqual(reply.GetProperty("access_token").GetString(), second);
        Assert.Equal("""{"logins":2,"analyses":0,"analysesBySection":{}}""", admin.GetRawText());
    }

    [Theory]
    [InlineData(AiPlatformInstance.Username, "wrong-password-51c7")]
    [InlineData("someone-else", AiPlatformInstance.Password)]
    public async Task AWrongUserOrPasswordIs401InvalidCredentialsWithoutEchoingEither(string username, string password)
    {
        await using var platform = await AiPlatformInstance.StartAsync();

        using var response = await platform.LoginAsync(username, password);
        var body = await AiPlatformInstance.BodyAsync(response, HttpStatusCode.Unauthorized);

        Assert.Equal("""{"error":"invalid_credentials","message":"The user name or password is not valid."}""", body);
        Assert.Equal(0, (await platform.AdminAsync()).GetProperty("logins").GetInt64());
    }

    [Theory]
    [InlineData("wrong-key-0b1d", AiPlatformInstance.TenantId, "The API key in the X-API-Key header is not valid for the tenant in the X-Tenant-Id header.")]
    [InlineData(AiPlatformInstance.ApiKey, "other-tenant", "The API key in the X-API-Key header is not valid for the tenant in the X-Tenant-Id header.")]
    [InlineData(null, AiPlatformInstance.TenantId, "Send the API key of the platform in the X-API-Key header and your tenant in the X-Tenant-Id header.")]
    [InlineData(AiPlatformInstance.ApiKey, null, "Send the API key of the platform in the X-API-Key header and your tenant in the X-Tenant-Id header.")]
    public async Task AWrongOrMissingKeyOrTenantIs403BeforeTheCredentialsAreLookedAt(string? apiKey, string? tenantId, string message)
    {
        await using var platform = await AiPlatformInstance.StartAsync();

        using var response = await platform.LoginBodyAsync("""{"username":"tributary-sim","password":"sim-ai-password-dev-only"}""", apiKey, tenantId);
        var body = await AiPlatformInstance.BodyAsync(response, HttpStatusCode.Forbidden);

        Assert.Equal($$"""{"error":"forbidden","message":"{{message}}"}""", body);
        Assert.DoesNotContain("wrong-key-0b1d", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The body must be a JSON object with username and password.")]
    [InlineData("{\"username\":", "The body must be a JSON object with username and password.")]
    [InlineData("[\"tributary-sim\"]", "The body must be a JSON object with username and password.")]
    [InlineData("{\"username\":\"tributary-sim\"}", "username and password are required, each a non-empty string.")]
    [InlineData("{\"username\":\"tributary-sim\",\"password\":42}", "username and password are required, each a non-empty string.")]
    [InlineData("{\"username\":\" \",\"password\":\"sim-ai-password-dev-only\"}", "username and password are required, each a non-empty string.")]
    public async Task AMalformedBodyIs400InvalidRequest(string sent, string message)
    {
        await using var platform = await AiPlatformInstance.StartAsync();

        using var response = await platform.LoginBodyAsync(sent);
        var body = await AiPlatformInstance.BodyAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal($$"""{"error":"invalid_request","message":"{{message}}"}""", body);
    }
}
