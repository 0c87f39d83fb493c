namespace Tributary.Simulators.TrueLayer;

/// <summary>The simulated TrueLayer auth host and Data API, bound from <c>Simulators:TrueLayer</c>.</summary>
public sealed class TrueLayerOptions
{
    public const string Section = "Simulators:TrueLayer";

    public const int MaxAccounts = 100;
    public const int MaxTransactionsPerAccount = 100_000;
    public const int MaxPendingPerAccount = 1_000;
    public const int MaxHistoryDays = 3_650;
    public const int MaxConsentDays = 3_650;
    public const int MaxScaWindowMinutes = 1_440;
    public const int MaxAccessTokenSeconds = 86_400;

    /// <summary>The one client the auth host knows (a dev-only fake).</summary>
    public string ClientId { get; set; } = "tributary-sim";

    /// <summary>The secret of <see cref="ClientId"/> (a dev-only fake).</summary>
    public string ClientSecret { get; set; } = "sim-truelayer-secret-dev-only";

    /// <summary>Bank accounts in a consent made by the dialog.</summary>
    public int AccountsPerConsent { get; set; } = 3;

    /// <summary>Cards in a consent made by the dialog.</summary>
    public int CardsPerConsent { get; set; } = 1;

    /// <summary>Settled transactions of each account or card.</summary>
    public int TransactionsPerAccount { get; set; } = 200;

    /// <summary>Pending transactions of each account or card, until settled through the admin API.</summary>
    public int PendingPerAccount { get; set; } = 2;

    /// <summary>The settled transactions are spread evenly over this many days before the consent's creation day.</summary>
    public int HistoryDays { get; set; } = 365;

    /// <summary>A consent expires this many days after it was made; refreshing then is <c>invalid_grant</c>.</summary>
    public int ConsentDays { get; set; } = 90;

    /// <summary>After an authorisation, history older than 90 days may be read for this long (else <c>sca_exceeded</c>).</summary>
    public int ScaWindowMinutes { get; set; } = 5;

    /// <summary>Lifetime of an access token, sent as <c>expires_in</c>.</summary>
    public int AccessTokenSeconds { get; set; } = 3600;

    /// <summary>Seeds account ids and every transaction; the same seed gives the same data in every process.</summary>
    public int DataSeed { get; set; } = 1;
}
