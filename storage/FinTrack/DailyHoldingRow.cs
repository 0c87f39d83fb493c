using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>A computed row of <c>fintrack.holdings</c>: one account's holding of one asset, valued at the latest quote.</summary>
internal sealed record DailyHoldingRow(
    string AccountId,
    string AssetId,
    string Currency,
    PositionMeasures Measures,
    decimal? Price,
    decimal? MarketValue,
    decimal? UnrealisedPnl,
    DateTime? AsOf,
    DateOnly LastTradeDate,
    int TransactionCount,
    long Fingerprint) : IHoldingsRow
{
    public static string Table => "fintrack.holdings";

    public static string Columns =>
        "account_id, asset_id, currency, quantity, average_cost, cost_basis, realised_pnl, dividends, fees, " +
        "price, market_value, unrealised_pnl, as_of, last_trade_date, transaction_count, fingerprint";

    public static bool KeyIncludesMonth => false;

    public HoldingsRowKey Key => new(AccountId, AssetId, default);

    public static DailyHoldingRow Create(
        string accountId, string assetId, string currency, PositionMeasures measures, decimal? price, decimal? marketValue,
        decimal? unrealisedPnl, DateTime? asOf, DateOnly lastTradeDate, int transactionCount)
    {
        var fingerprint = FinTrack.Fingerprint.Start();
        fingerprint.Add(currency);
        measures.AddTo(ref fingerprint);
        fingerprint.Add(price);
        fingerprint.Add(marketValue);
        fingerprint.Add(unrealisedPnl);
        fingerprint.Add(asOf);
        fingerprint.Add(lastTradeDate);
        fingerprint.Add(transactionCount);
        return new DailyHoldingRow(accountId, assetId, currency, measures, price, marketValue, unrealisedPnl, asOf, lastTradeDate,
            transactionCount, fingerprint.Value);
    }

    public void Write(NpgsqlBinaryImporter importer)
    {
        importer.WriteTexts(AccountId, AssetId, Currency);
        Measures.Write(importer);
        importer.WriteNullable(Price, NpgsqlDbType.Numeric);
        importer.WriteNullable(MarketValue, NpgsqlDbType.Numeric);
        importer.WriteNullable(UnrealisedPnl, NpgsqlDbType.Numeric);
        importer.WriteNullable(AsOf, NpgsqlDbType.TimestampTz);
        importer.Write(LastTradeDate, NpgsqlDbType.Date);
        importer.Write(TransactionCount, NpgsqlDbType.Integer);
        importer.Write(Fingerprint, NpgsqlDbType.Bigint);
    }
}
