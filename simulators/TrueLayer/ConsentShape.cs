namespace Tributary.Simulators.TrueLayer;

/// <summary>What a new consent holds: how many accounts and cards, and how many transactions each has.</summary>
/// <param name="Accounts">Bank accounts (listed by <c>/accounts</c>).</param>
/// <param name="Cards">Cards (listed by <c>/cards</c>).</param>
/// <param name="TransactionsPerAccount">Settled transactions of each account and card.</param>
/// <param name="PendingPerAccount">Pending transactions of each account and card.</param>
/// <param name="HistoryDays">The settled transactions span this many days before the consent's creation day.</param>
public sealed record ConsentShape(int Accounts, int Cards, int TransactionsPerAccount, int PendingPerAccount, int HistoryDays)
{
    /// <summary>The shape of a consent made by the dialog: the configured defaults.</summary>
    public static ConsentShape From(TrueLayerOptions options) => new(
        options.AccountsPerConsent,
        options.CardsPerConsent,
        options.TransactionsPerAccount,
        options.PendingPerAccount,
        options.HistoryDays);
}
