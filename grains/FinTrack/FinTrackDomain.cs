using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tributary.Connectors.MarketData;
using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Registers the FinTrack ETL domain: its stores and its five jobs.</summary>
public static class FinTrackDomain
{
    /// <summary>
    /// The holdings jobs always; the three fetch jobs when a market-data feed is configured
    /// (<c>MarketData:BaseUrl</c>), since without one they could only fail.
    /// </summary>
    public static ISiloBuilder AddFinTrackDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddSingleton<MarketDataStore>();
        services.TryAddSingleton<HoldingsCalculator>();
        services.AddJob<ProcessTransactionsToHoldingsJob>();
        services.AddJob<ProcessTransactionsToHoldingsMonthlyJob>();
        if (!string.IsNullOrWhiteSpace(configuration[$"{MarketDataOptions.Section}:{nameof(MarketDataOptions.BaseUrl)}"]))
        {
            services.AddMarketDataClient(configuration);
            services.AddJob<FetchMarketDataJob>();
            services.AddJob<FetchMarketIndexDataJob>();
            services.AddJob<FetchHistoricalMarketDataJob>();
        }

        return silo;
    }
}
