using Microsoft.Extensions.Configuration;
using Tributary.Api;

namespace Tributary.Cluster.Tests;

/// <summary>The gateway refuses to start on bad settings, with a sentence naming the setting.</summary>
public sealed class GatewayConfigurationTests
{
    [Theory]
    [InlineData("Auth:ApiKeys:0:Key", "too-short", "Auth:ApiKeys:0:Key must be at least 16 characters.")]
    [InlineData("Auth:ApiKeys:0:Scope", "root", "Auth:ApiKeys:0:Scope must be 'operator' or 'admin', was 'root'.")]
    [InlineData("Auth:ApiKeys:0:Sha256", "abc", "Auth:ApiKeys:0 needs exactly one of Key or Sha256.")]
    public void A_bad_key_entry_stops_start_up_naming_the_setting(string key, string value, string sentence)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
            ["Auth:ApiKeys:0:Name"] = "ops",
            ["Auth:ApiKeys:0:Scope"] = "operator",
            ["Auth:ApiKeys:0:Key"] = "a-long-enough-operator-key",
            [key] = value,
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayApp.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Contains(sentence, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-operator-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_key_at_all_stops_start_up()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
            ["TRIBUTARY_ADMIN_KEY"] = string.Empty,
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayApp.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal("Configuration error: Auth:ApiKeys is empty and TRIBUTARY_ADMIN_KEY is unset: no one could call the API.",
            "Configuration error: " + string.Join(" ", error.Failures));
    }

    [Fact]
    public void A_bad_failover_setting_stops_start_up_naming_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
            ["Auth:ApiKeys:0:Name"] = "ops",
            ["Auth:ApiKeys:0:Key"] = "a-long-enough-operator-key",
            ["Gateway:Failover:CallTimeout"] = "-00:00:01",
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayApp.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(["Gateway:Failover:CallTimeout must be more than 00:00:00 and at most 00:05:00, was -00:00:01."], error.Failures);
    }

    [Fact]
    public void Without_a_key_ring_key_start_up_stops_saying_how_to_make_one()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["Auth:ApiKeys:0:Name"] = "ops",
            ["Auth:ApiKeys:0:Key"] = "a-long-enough-operator-key",
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayApp.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal(
            ["DataProtection:KeyRingKey is unset: stored secrets (webhook secrets) are encrypted with a key ring kept in PostgreSQL and sealed by this key. " +
             "Set it to the base64 of 32 random bytes (head -c 32 /dev/urandom | base64), the same on every gateway " +
             "(environment variable DataProtection__KeyRingKey; run.sh keeps one in .data/keyring-key)."],
            error.Failures);
    }

    [Theory]
    [InlineData("DataProtection:KeyRingKey", "c2hvcnQ=", "DataProtection:KeyRingKey must be the base64 of 32 random bytes (head -c 32 /dev/urandom | base64); it is 5 bytes, not 32.")]
    [InlineData("DataProtection:KeyRingKey", "not base64 at all!", "DataProtection:KeyRingKey must be the base64 of 32 random bytes (head -c 32 /dev/urandom | base64); it is not base64.")]
    [InlineData("Webhooks:Timeout", "00:00:00.500", "Webhooks:Timeout must be 00:00:01..00:05:00, was 00:00:00.5000000.")]
    [InlineData("Auth:ApiKeys:0:User", " ops ", "Auth:ApiKeys:0:User must be 1..100 characters without control characters or surrounding spaces (leave it out to use the key's Name).")]
    public void A_bad_secret_webhook_or_user_setting_stops_start_up_naming_it(string key, string value, string sentence)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody",
            ["Auth:ApiKeys:0:Name"] = "ops",
            ["Auth:ApiKeys:0:Key"] = "a-long-enough-operator-key",
            ["DataProtection:KeyRingKey"] = GatewayHost.KeyRingKey,
            [key] = value,
        };

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => GatewayApp.Build([], b => b.Configuration.AddInMemoryCollection(settings)));

        Assert.Equal([sentence], error.Failures);
        Assert.DoesNotContain(value, error.Message.Replace(sentence, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
