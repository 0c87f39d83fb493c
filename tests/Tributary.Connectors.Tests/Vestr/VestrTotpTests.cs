using Tributary.Connectors.Vestr;

namespace Tributary.Connectors.Tests.Vestr;

/// <summary>The authenticator codes are RFC 6238's (SHA-1, 30 s), cut to 6 digits.</summary>
public sealed class VestrTotpTests
{
    /// <summary>RFC 6238 appendix B's SHA-1 seed, ASCII <c>12345678901234567890</c>, in base32.</summary>
    private const string Rfc6238Seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void TheCodesAreTheLastSixDigitsOfTheRfcVectors(long unixSeconds, string code) =>
        Assert.Equal(code, VestrTotp.Code(Rfc6238Seed, DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    [Fact]
    public void LowerCaseSpacedAndPaddedSecretsGiveTheSameCode() =>
        Assert.Equal("287082", VestrTotp.Code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq====", DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void TheCodeChangesEveryThirtySeconds()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_020);

        Assert.Equal(VestrTotp.Code(Rfc6238Seed, start), VestrTotp.Code(Rfc6238Seed, start.AddSeconds(19)));
        Assert.NotEqual(VestrTotp.Code(Rfc6238Seed, start), VestrTotp.Code(Rfc6238Seed, start.AddSeconds(20)));
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PXP", true)]
    [InlineData("jbswy3dp ehpk3pxp", true)]
    [InlineData("JBSWY3DP0", false)]
    [InlineData("====", false)]
    public void OnlyBase32IsASecret(string secret, bool valid) => Assert.Equal(valid, VestrTotp.IsValidSecret(secret));
}
