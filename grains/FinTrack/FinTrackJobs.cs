namespace Tributary.FinTrack;

/// <summary>The FinTrack ETL jobs by name (the seed's "ETL Batching Implementation").</summary>
public static class FinTrackJobs
{
    public const string FetchMarketData = "fetch_market_data";
    public const string FetchMarketIndexData = "fetch_market_index_data";
    public const string FetchHistoricalMarketData = "fetch_historical_market_data";
    public const string ProcessTransactionsToHoldings = "process_transactions_to_holdings";
    public const string ProcessTransactionsToHoldingsMonthly = "process_transactions_to_holdings_monthly";

    /// <summary>The upstream the fetch jobs call: their circuit breaker and rate limiter key.</summary>
    public const string MarketDataUpstream = "marketdata";
}
