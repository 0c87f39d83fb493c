using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tributary.Storage.FinTrack;

/// <summary>One validated portfolio transaction.</summary>
/// <param name="TransactionId">The caller's id: importing the same id again is a no-op if the content is the same.</param>
/// <param name="AccountId">The account that traded.</param>
/// <param name="AssetId">The asset traded, paid on or charged for.</param>
/// <param name="Type">What the transaction does to the holding.</param>
/// <param name="Quantity">Units bought or sold (positive); optional for dividends and fees.</param>
/// <param name="Price">Price per unit (zero or more); optional for dividends and fees.</param>
/// <param name="Amount">Cash amount: the dividend or fee paid; for buys and sells quantity * price unless the caller gave one.</param>
/// <param name="Currency">ISO 4217 code; always the asset's currency (FinTrack does not convert).</param>
/// <param name="TradeDate">The day the transaction counts on.</param>
public sealed record PortfolioTransaction(
    string TransactionId,
    string AccountId,
    string AssetId,
    TransactionType Type,
    decimal? Quantity,
    decimal? Price,
    decimal Amount,
    string Currency,
    DateOnly TradeDate)
{
    /// <summary>
    /// Lower-case hex SHA-256 of the normalised content (every field but the id; numbers without trailing
    /// zeros), stored with the row to tell an identical re-post from a conflicting one.
    /// </summary>
    public string ContentHash()
    {
        var canonical = string.Join(
            '\u001f',
            AccountId,
            AssetId,
            Type.ToWire(),
            Canonical(Quantity),
            Canonical(Price),
            Canonical(Amount),
            Currency,
            TradeDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    // "G29" drops trailing zeros, so 10, 10.0 and 10.00 hash alike (they are the same numeric in PostgreSQL).
    private static string Canonical(decimal? value) => value?.ToString("G29", CultureInfo.InvariantCulture) ?? string.Empty;
}
