namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// One consent (one <c>credentials_id</c>): its accounts and cards, its expiry, and when it was last authorised
/// (which opens the SCA window for history older than 90 days).
/// </summary>
public sealed class TrueLayerConsent
{
    private long _lastAuthorisedTicks;
    private int _expiredByAdmin;

    public TrueLayerConsent(string credentialsId, DateTimeOffset createdAt, TimeSpan lifetime, string scope, ConsentShape shape, ulong dataSeed)
    {
        CredentialsId = credentialsId;
        CreatedAt = createdAt;
        ExpiresAt = createdAt + lifetime;
        Scope = scope;
        Shape = shape;
        _lastAuthorisedTicks = createdAt.UtcTicks;
        Accounts =
        [
            .. Enumerable.Range(0, shape.Accounts).Select(i => new ConsentAccount(this, dataSeed, ConsentAccountKind.Account, i, i)),
            .. Enumerable.Range(0, shape.Cards).Select(i => new ConsentAccount(this, dataSeed, ConsentAccountKind.Card, shape.Accounts + i, i)),
        ];
    }

    public string CredentialsId { get; }

    /// <summary>Whole seconds, UTC.</summary>
    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    public string Scope { get; }

    public ConsentShape Shape { get; }

    /// <summary>Accounts first, then cards, in position order.</summary>
    public IReadOnlyList<ConsentAccount> Accounts { get; }

    /// <summary>The last code exchange or admin creation; the SCA window runs from here.</summary>
    public DateTimeOffset LastAuthorisedAt
    {
        get => new(Interlocked.Read(ref _lastAuthorisedTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastAuthorisedTicks, value.UtcTicks);
    }

    public bool ExpiredByAdmin => Volatile.Read(ref _expiredByAdmin) == 1;

    public void Expire() => Volatile.Write(ref _expiredByAdmin, 1);

    /// <summary>Expired by the admin API, or <see cref="ExpiresAt"/> has passed.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiredByAdmin || now >= ExpiresAt;

    /// <summary>The consent's account or card of that id and kind; null if it is not this consent's.</summary>
    public ConsentAccount? Find(string accountId, ConsentAccountKind kind) =>
        Accounts.FirstOrDefault(account => account.Kind == kind && string.Equals(account.AccountId, accountId, StringComparison.Ordinal));
}
