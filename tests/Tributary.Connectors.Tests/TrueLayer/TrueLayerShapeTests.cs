using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.TrueLayer;

namespace Tributary.Connectors.Tests.TrueLayer;

/// <summary>What needs no upstream: the auth dialog's URL, the dedup key's precedence, tokens that never print.</summary>
public sealed class TrueLayerShapeTests
{
    [Fact]
    public void TheAuthorizationUrlCarriesEveryValueUrlEncoded()
    {
        var settings = TrueLayerOptionsTests.Valid();
        settings["TrueLayer:ClientId"] = "tributary sim&co";
        using var services = TrueLayerOptionsTests.Services(settings);
        var client = services.GetRequiredService<TrueLayerAuthClient>();

        var url = client.AuthorizationUrl("st@te/1 2+3=");

        Assert.Equal(
            "http://127.0.0.1:5090/truelayer/auth/?response_type=code&client_id=tributary%20sim%26co"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5080%2Fapi%2Ftruelayer%2Fcallback"
            + "&scope=info%20accounts%20balance%20cards%20transactions%20offline_access"
            + "&state=st%40te%2F1%202%2B3%3D&providers=uk-ob-all%20uk-oauth-all",
            url.AbsoluteUri);
    }

    [Fact]
    public void WithoutProvidersTheAuthorizationUrlLeavesThemOut()
    {
        var settings = TrueLayerOptionsTests.Valid();
        settings["TrueLayer:AuthUrl"] = "https://auth.truelayer.com/";
        settings["TrueLayer:Providers"] = "";
        using var services = TrueLayerOptionsTests.Services(settings);

        var url = services.GetRequiredService<TrueLayerAuthClient>().AuthorizationUrl("s1");

        Assert.Equal(
            "https://auth.truelayer.com/?response_type=code&client_id=tributary-test"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5080%2Fapi%2Ftruelayer%2Fcallback"
            + "&scope=info%20accounts%20balance%20cards%20transactions%20offline_access&state=s1",
            url.AbsoluteUri);
    }

    [Theory]
    [InlineData("norm-1", "prov-1", "norm-1")]
    [InlineData(null, "prov-1", "prov-1")]
    [InlineData("", "prov-1", "prov-1")]
    [InlineData("  ", null, "tx-1")]
    [InlineData(null, "", "tx-1")]
    [InlineData(null, null, "tx-1")]
    public void TheDedupKeyIsTheNormalisedIdElseTheProvidersElseTheTransactionId(string? normalised, string? provider, string key)
    {
        var transaction = new TrueLayerTransaction(
            "tx-1", normalised, provider, DateTimeOffset.UnixEpoch, "coffee", 2.5m, "GBP", "DEBIT", null, [], null, null, null, "{}");

        Assert.Equal(key, transaction.DedupKey);
    }

    [Fact]
    public void TokensNeverPrintTheirValues()
    {
        var tokens = new TrueLayerTokens("access-7f3a", "refresh-91bc", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "info accounts");

        Assert.Equal(
            "TrueLayerTokens { AccessToken = ***, RefreshToken = ***, ExpiresAt = 2026-01-02T03:04:05.0000000+00:00, Scope = info accounts }",
            tokens.ToString());
        Assert.DoesNotContain("access-7f3a", $"{new { tokens }}", StringComparison.Ordinal);
    }
}
