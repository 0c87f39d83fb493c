using System.Text.Json;
using Tributary.Api.Endpoints;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>
/// The JSON of <c>/api/holdings</c> and of an accepted import, byte for byte as clients read it (the literals were written
/// by the gateway before it had views of its own for these), with the serializer settings minimal APIs use.
/// </summary>
public sealed class PortfolioJsonTests
{
    private static readonly JsonSerializerOptions Options = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;

    [Fact]
    public void Holdings_read_as_before()
    {
        IReadOnlyList<Holding> holdings =
        [
            new("A1", "X", "CHF", 15m, 104.5m, 1567.50m, 70.25m, 3.10m, 2m, 120.125m, 1801.875m, 234.375m,
                new DateTimeOffset(2024, 3, 31, 22, 0, 0, TimeSpan.Zero), new DateOnly(2024, 3, 1), 4),
            new("A1", "Y", "USD", 0m, 0m, 0m, -12.5m, 0m, 1.5m, null, null, null, null, new DateOnly(2024, 1, 31), 2),
        ];

        Assert.Equal(
            """[{"accountId":"A1","assetId":"X","currency":"CHF","quantity":15,"averageCost":104.5,"costBasis":1567.50,"realisedPnl":70.25,"dividends":3.10,"fees":2,"price":120.125,"marketValue":1801.875,"unrealisedPnl":234.375,"asOf":"2024-03-31T22:00:00+00:00","lastTradeDate":"2024-03-01","transactionCount":4},{"accountId":"A1","assetId":"Y","currency":"USD","quantity":0,"averageCost":0,"costBasis":0,"realisedPnl":-12.5,"dividends":0,"fees":1.5,"price":null,"marketValue":null,"unrealisedPnl":null,"asOf":null,"lastTradeDate":"2024-01-31","transactionCount":2}]""",
            Json<IReadOnlyList<HoldingView>>(holdings.Select(HoldingView.From).ToList()));
    }

    [Fact]
    public void Monthly_holdings_read_as_before()
    {
        IReadOnlyList<MonthlyHolding> monthly =
        [
            new("A1", "X", new DateOnly(2024, 1, 1), "CHF", 20m, 105m, 2100m, 0m, 0m, 0m, 112m, new DateOnly(2024, 1, 31), "history", 2240m, 140m, 2),
            new("A1", "X", new DateOnly(2024, 3, 1), "CHF", 15m, 105m, 1575m, 73m, 0m, 2m, null, null, null, null, null, 2),
        ];

        Assert.Equal(
            """[{"accountId":"A1","assetId":"X","month":"2024-01-01","currency":"CHF","quantity":20,"averageCost":105,"costBasis":2100,"realisedPnl":0,"dividends":0,"fees":0,"price":112,"priceDate":"2024-01-31","priceSource":"history","marketValue":2240,"unrealisedPnl":140,"monthTransactions":2},{"accountId":"A1","assetId":"X","month":"2024-03-01","currency":"CHF","quantity":15,"averageCost":105,"costBasis":1575,"realisedPnl":73,"dividends":0,"fees":2,"price":null,"priceDate":null,"priceSource":null,"marketValue":null,"unrealisedPnl":null,"monthTransactions":2}]""",
            Json<IReadOnlyList<MonthlyHoldingView>>(monthly.Select(MonthlyHoldingView.From).ToList()));
    }

    [Fact]
    public void An_accepted_import_reads_as_before()
    {
        Assert.Equal(
            """{"rows":3,"inserted":2,"unchanged":1,"errors":[],"totalErrors":0,"succeeded":true}""",
            Json(ImportResultView.From(new ImportResult(3, 2, 1, []))));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);
}
