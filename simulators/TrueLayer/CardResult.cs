namespace Tributary.Simulators.TrueLayer;

/// <summary>One result of <c>GET /data/v1/cards</c> or <c>/cards/{id}</c>.</summary>
public sealed record CardResult(
    string AccountId,
    string CardNetwork,
    string CardType,
    string Currency,
    string DisplayName,
    string PartialCardNumber,
    string NameOnCard,
    ProviderInfo Provider,
    DateTimeOffset UpdateTimestamp);
