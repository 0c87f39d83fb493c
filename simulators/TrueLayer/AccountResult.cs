namespace Tributary.Simulators.TrueLayer;

/// <summary>One result of <c>GET /data/v1/accounts</c> or <c>/accounts/{id}</c>.</summary>
/// <param name="AccountType"><c>TRANSACTION</c> or <c>SAVINGS</c>.</param>
public sealed record AccountResult(
    string AccountId,
    string AccountType,
    string DisplayName,
    string Currency,
    AccountNumber AccountNumber,
    ProviderInfo Provider,
    DateTimeOffset UpdateTimestamp);

/// <summary>How the bank identifies an account: IBAN always; UK sort code and number for GBP accounts.</summary>
public sealed record AccountNumber(string Iban, string? Number, string? SortCode, string SwiftBic);
