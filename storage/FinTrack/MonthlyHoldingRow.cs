using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// A computed row of <c>fintrack.holdings_monthly</c>: one account's holding of one asset at the end of a month in
/// which it traded the asset, valued at that month's last close (<see cref="PriceSource"/> <c>history</c>), else at the
/// latest quote (<c>latest</c>), else not at all.
/// </summary>
internal sealed record MonthlyHoldingRow(
    string AccountId,
    string AssetId,
    DateOnly Month,
    string Currency,
    PositionMeasures Measures,
    decimal? Price,
    DateOnly? PriceDate,
    string? PriceSource,
    decimal? MarketValue,
    decimal? UnrealisedPnl,
    int MonthTransactions,
    long Fingerprint) : IHoldingsRow
{
    public static string Table => "fintrack.holdings_monthly";

    public static string Columns =>
        "account_id, asset_id, month, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, price_date, price_source, market_value, unrealised_pnl, month_transactions, fingerprint";

    public static bool KeyIncludesMonth => true;

    public HoldingsRowKey Key => new(AccountId, AssetId, Month);

    public static MonthlyHoldingRow Create(
        string accountId, string assetId, DateOnly month, string currency, PositionMeasures measures, decimal? price,
        DateOnly? priceDate, string? priceSource, decimal? marketValue, decimal? unrealisedPnl, int monthTransactions)
    {
        var fingerprint = FinTrack.Fingerprint.Start();
        fingerprint.Add(currency);
        measures.AddTo(ref fingerprint);
        fingerprint.Add(price);
        fingerprint.Add(priceDate);
        fingerprint.Add(priceSource);
        fingerprint.Add(marketValue);
        fingerprint.Add(unrealisedPnl);
        fingerprint.Add(monthTransactions);
        return new MonthlyHoldingRow(accountId, assetId, month, currency, measures, price, priceDate, priceSource, marketValue,
            unrealisedPnl, monthTransactions, fingerprint.Value);
    }

    public void Write(NpgsqlBinaryImporter importer)
    {
        importer.WriteTexts(AccountId, AssetId);
        importer.Write(Month, NpgsqlDbType.Date);
        importer.Write(Currency, NpgsqlDbType.Text);
        Measures.Write(importer);
        importer.WriteNullable(Price, NpgsqlDbType.Numeric);
        importer.WriteNullable(PriceDate, NpgsqlDbType.Date);
        importer.WriteNullable(PriceSource, NpgsqlDbType.Text);
        importer.WriteNullable(MarketValue, NpgsqlDbType.Numeric);
        importer.WriteNullable(UnrealisedPnl, NpgsqlDbType.Numeric);
        importer.Write(MonthTransactions, NpgsqlDbType.Integer);
        importer.Write(Fingerprint, NpgsqlDbType.Bigint);
    }
}
