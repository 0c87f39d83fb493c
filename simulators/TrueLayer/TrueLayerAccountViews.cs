using System.Globalization;
using Tributary.Simulators.Data;

namespace Tributary.Simulators.TrueLayer;

/// <summary>How the Data API shows a consent's accounts and cards.</summary>
public static class TrueLayerAccountViews
{
    private const ulong NumberStream = 0x7A11_0100;

    public static AccountResult Account(ConsentAccount account, DateTimeOffset now)
    {
        var random = DeterministicRandom.For(account.Key, NumberStream, 0);
        var number = random.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
        var sortCode = string.Create(CultureInfo.InvariantCulture, $"04-{random.Next(100):D2}-{random.Next(100):D2}");
        var displayName = account.AccountType == "SAVINGS" ? "Savings Account"
            : account.Currency == "EUR" ? "Euro Account"
            : "Current Account";
        var accountNumber = account.Currency == "GBP"
            ? new AccountNumber($"GB{random.Next(10, 100)}MOCK{sortCode.Replace("-", string.Empty, StringComparison.Ordinal)}{number}", number, sortCode, "MOCKGB21")
            : new AccountNumber(string.Create(CultureInfo.InvariantCulture, $"DE{random.Next(10, 100)}5001{random.Next(1000, 10_000)}{number}{random.Next(10, 100)}"), null, null, "MOCKDEFF");
        return new AccountResult(
            account.AccountId,
            account.AccountType,
            string.Create(CultureInfo.InvariantCulture, $"{displayName} {account.IndexOfKind + 1}"),
            account.Currency,
            accountNumber,
            ProviderInfo.MockBank,
            now);
    }

    public static CardResult Card(ConsentAccount account, DateTimeOffset now)
    {
        var random = DeterministicRandom.For(account.Key, NumberStream, 1);
        return new CardResult(
            account.AccountId,
            account.IndexOfKind % 2 == 0 ? "VISA" : "MASTERCARD",
            "CREDIT",
            account.Currency,
            string.Create(CultureInfo.InvariantCulture, $"Mock Credit Card {account.IndexOfKind + 1}"),
            random.Next(1000, 10_000).ToString(CultureInfo.InvariantCulture),
            "A N OTHER",
            ProviderInfo.MockBank,
            now);
    }
}
