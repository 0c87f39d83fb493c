namespace Tributary.Connectors.TrueLayer;

/// <summary>One account or card of a connection, from <c>GET /data/v1/accounts</c> or <c>/cards</c>.</summary>
/// <param name="AccountId">TrueLayer's id, the <c>{id}</c> of the account's transaction calls.</param>
/// <param name="Kind">Which collection it is in, and so which path its transactions are under.</param>
/// <param name="AccountType">The <c>account_type</c> of an account (<c>TRANSACTION</c>, <c>SAVINGS</c>...), the <c>card_type</c> of a card (<c>CREDIT</c>...).</param>
/// <param name="Currency">ISO 4217, such as <c>GBP</c>.</param>
/// <param name="DisplayName">The bank's name for it; the account id when the bank gave none.</param>
/// <param name="ProviderId">The bank, when sent.</param>
/// <param name="UpdatedAt">The <c>update_timestamp</c>: when TrueLayer last read it from the bank, when sent.</param>
public sealed record TrueLayerAccount(
    string AccountId,
    TrueLayerAccountKind Kind,
    string AccountType,
    string Currency,
    string DisplayName,
    string? ProviderId,
    DateTimeOffset? UpdatedAt);
