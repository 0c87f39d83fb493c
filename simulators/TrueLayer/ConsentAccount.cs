using System.Globalization;
using Tributary.Simulators.Data;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// One account or card of a consent. Its transactions are not stored: <see cref="TransactionLedger"/> makes them
/// from <see cref="Key"/> when asked, so 50 accounts of 2,000 transactions cost nothing until read.
/// </summary>
public sealed class ConsentAccount
{
    private const ulong IdStream = 0x7A11_0001;
    private const ulong KeyStream = 0x7A11_0002;

    private PendingSettlement? _settlement;

    public ConsentAccount(TrueLayerConsent consent, ulong dataSeed, ConsentAccountKind kind, int position, int indexOfKind)
    {
        Consent = consent;
        Kind = kind;
        IndexOfKind = indexOfKind;
        var credentials = DeterministicRandom.HashText(consent.CredentialsId);
        AccountId = string.Create(
            CultureInfo.InvariantCulture,
            $"{DeterministicRandom.Hash(dataSeed, IdStream, credentials, (ulong)position):x16}{DeterministicRandom.Hash(dataSeed, IdStream, credentials, (ulong)position + 0x1_0000_0000):x16}");
        Key = DeterministicRandom.Hash(dataSeed, KeyStream, DeterministicRandom.HashText(AccountId));
        Currency = kind == ConsentAccountKind.Account && indexOfKind % 3 == 2 ? "EUR" : "GBP";
    }

    public TrueLayerConsent Consent { get; }

    /// <summary>32 hex digits, derived from the data seed, the consent's credentials id and the account's position.</summary>
    public string AccountId { get; }

    public ConsentAccountKind Kind { get; }

    /// <summary>0-based position among the consent's accounts, or among its cards.</summary>
    public int IndexOfKind { get; }

    /// <summary>Seeds every transaction of the account (the data seed and the account id).</summary>
    public ulong Key { get; }

    public string Currency { get; }

    /// <summary><c>TRANSACTION</c> or <c>SAVINGS</c> (every third account from the second is a savings account).</summary>
    public string AccountType => IndexOfKind % 3 == 1 ? "SAVINGS" : "TRANSACTION";

    public int TransactionCount => Consent.Shape.TransactionsPerAccount;

    public int PendingCount => Consent.Shape.PendingPerAccount;

    /// <summary>When the pending transactions settled through the admin API; null while they are pending.</summary>
    public PendingSettlement? Settlement => Volatile.Read(ref _settlement);

    /// <summary>Settles the pending transactions; false if they had already settled.</summary>
    public bool Settle(DateTimeOffset now) => Interlocked.CompareExchange(ref _settlement, new PendingSettlement(now), null) is null;
}

/// <summary>The moment an account's pending transactions settled.</summary>
public sealed record PendingSettlement(DateTimeOffset SettledAt);
