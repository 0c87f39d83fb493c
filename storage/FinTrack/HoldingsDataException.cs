using System.Globalization;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// The transactions of an account and asset cannot be turned into a holding: a sale of more units than the account
/// held at that point. Nothing of the failed computation is written. Retrying cannot help; the transactions must be
/// corrected, so the job runtime dead-letters the batch (its other batches still commit).
/// </summary>
public sealed class HoldingsDataException : Exception
{
    /// <summary>Creates the exception for a sale of <paramref name="soldQuantity"/> when only <paramref name="heldQuantity"/> was held.</summary>
    public HoldingsDataException(string accountId, string assetId, string transactionId, DateOnly tradeDate, decimal heldQuantity, decimal soldQuantity)
        : base(Describe(accountId, assetId, transactionId, tradeDate, heldQuantity, soldQuantity))
    {
        AccountId = accountId;
        AssetId = assetId;
        TransactionId = transactionId;
        TradeDate = tradeDate;
        HeldQuantity = heldQuantity;
        SoldQuantity = soldQuantity;
    }

    private static string Describe(string accountId, string assetId, string transactionId, DateOnly tradeDate, decimal held, decimal sold) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Account {accountId} sells {Numbers.Plain(sold)} units of asset {assetId} on {tradeDate:yyyy-MM-dd} (transaction {transactionId}) but holds only {Numbers.Plain(held)} at that point. Correct the quantity or the date of that sale, or import the missing buy, then run the holdings job again.");

    /// <summary>The account whose sale is refused.</summary>
    public string AccountId { get; }

    /// <summary>The asset sold.</summary>
    public string AssetId { get; }

    /// <summary>The caller's id of the refused sale.</summary>
    public string TransactionId { get; }

    /// <summary>The trade date of the refused sale.</summary>
    public DateOnly TradeDate { get; }

    /// <summary>Units held just before the sale (after every earlier transaction in trade-date, then id, order).</summary>
    public decimal HeldQuantity { get; }

    /// <summary>Units the sale tried to sell.</summary>
    public decimal SoldQuantity { get; }
}
