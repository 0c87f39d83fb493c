namespace Tributary.Storage.TrueLayer;

/// <summary>An account or card as the provider lists it.</summary>
/// <param name="Kind"><c>account</c> or <c>card</c>.</param>
public sealed record AccountRow(string AccountId, string Kind, string? AccountType, string? Currency, string? DisplayName, string? ProviderId)
{
    public const string Account = "account";
    public const string Card = "card";
}
