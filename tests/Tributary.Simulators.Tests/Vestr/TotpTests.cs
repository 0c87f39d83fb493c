using System.Text;
using Tributary.Simulators.Keycloak;
using Tributary.Simulators.Vestr;

namespace Tributary.Simulators.Tests.Vestr;

/// <summary>RFC 6238 (appendix B, SHA-1) vectors, the one-step look-around, base32 secrets and ISIN check digits.</summary>
public sealed class TotpTests
{
    private static readonly byte[] RfcKey = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Rfc6238VectorsPass(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(RfcKey, DateTimeOffset.FromUnixTimeSeconds(unixSeconds), digits: 8));

    [Fact]
    public void SixDigitCodesAreTheLastSixOfTheVectors() =>
        Assert.Equal("287082", Totp.Code(RfcKey, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Fact]
    public void OneStepEitherSideIsAcceptedAndTwoAreNot()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var step = TimeSpan.FromSeconds(30);

        Assert.Equal(
            [false, true, true, true, false],
            new[] { -2, -1, 0, 1, 2 }.Select(offset => Totp.Verify(RfcKey, Totp.Code(RfcKey, now + (offset * step)), now)));
        Assert.False(Totp.Verify(RfcKey, "12345", now));
        Assert.False(Totp.Verify(RfcKey, null, now));
    }

    [Fact]
    public void Base32SecretsDecodeAsAuthenticatorAppsReadThem()
    {
        Assert.True(Base32.TryDecode("JBSWY3DPEHPK3PXP", out var bytes));
        Assert.Equal("Hello!\u00DE\u00AD\u00BE\u00EF", Encoding.Latin1.GetString(bytes));
        Assert.True(Base32.TryDecode("jbsw y3dp ehpk 3pxp", out var spaced));
        Assert.Equal(bytes, spaced);
        Assert.False(Base32.TryDecode("JBSWY3DP1", out _));
    }

    [Theory]
    [InlineData("US037833100", 5)]
    [InlineData("CH001200526", 7)]
    [InlineData("CH003886335", 0)]
    [InlineData("DE000BAY001", 7)]
    public void IsinCheckDigitsMatchRealIsins(string firstEleven, int expected) =>
        Assert.Equal(expected, FeeLedger.IsinCheckDigit(firstEleven));
}
