using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Storage.FinTrack;

namespace Tributary.Api.Endpoints;

/// <summary>
/// FinTrack data in and out: imports of assets, accounts and transactions (JSON array or CSV; every bad row
/// reported by line and field, nothing written unless all rows are good; idempotent by the caller's id), and
/// the holdings the jobs computed.
/// </summary>
public static class PortfolioEndpoints
{
    public static IEndpointRouteBuilder MapPortfolioEndpoints(this IEndpointRouteBuilder app)
    {
        var portfolio = app.MapGroup("/api/portfolio").WithTags("Portfolio");
        portfolio.MapPost("/transactions", (HttpRequest request, PortfolioImporter importer, CancellationToken ct) =>
            ImportAsync(request, importer, (stream, format) => importer.ImportTransactionsAsync(stream, format, ct)))
            .WithSummary("Import transactions: JSON array or text/csv with columns transaction_id,account_id,asset_id,type,quantity,price,amount,currency,trade_date.");
        portfolio.MapPost("/assets", (HttpRequest request, PortfolioImporter importer, CancellationToken ct) =>
            ImportAsync(request, importer, (stream, format) => importer.ImportAssetsAsync(stream, format, ct)))
            .WithSummary("Import assets: JSON array or text/csv with columns asset_id,symbol,name,asset_class,currency.");
        portfolio.MapPost("/accounts", (HttpRequest request, PortfolioImporter importer, CancellationToken ct) =>
            ImportAsync(request, importer, (stream, format) => importer.ImportAccountsAsync(stream, format, ct)))
            .WithSummary("Import accounts: JSON array or text/csv with columns account_id,name,base_currency.");

        var holdings = app.MapGroup("/api/holdings").WithTags("Holdings");
        holdings.MapGet("/", GetHoldingsAsync).WithSummary("Current holdings, optionally of one account.");
        holdings.MapGet("/monthly", GetMonthlyAsync).WithSummary("Month-end holdings; filter by account_id and month (YYYY-MM).");
        return app;
    }

    private static async Task<Results<Ok<ImportResultView>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, PortfolioImporter importer, Func<Stream, ImportFormat, Task<ImportResult>> import)
    {
        // Imports may be larger than any other body (Gateway:MaxRequestBodyBytes), up to their own bound; a larger
        // body is a 413 as soon as it passes the bound, before it is all received.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = importer.Options.MaxBodyBytes;
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        ImportFormat? format = mediaType switch
        {
            "application/json" => ImportFormat.Json,
            "text/csv" => ImportFormat.Csv,
            _ => null,
        };
        if (format is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported body",
                detail: $"Send application/json (an array of rows) or text/csv (with a header row); was '{mediaType ?? "none"}'.");
        }

        var result = await import(request.Body, format.Value);
        if (result.Errors.Count == 0)
        {
            return TypedResults.Ok(ImportResultView.From(result));
        }

        // Keyed by row and field, e.g. "[3].quantity": JSON rows count from 0, CSV lines as an editor shows them.
        var errors = result.Errors
            .GroupBy(e => $"[{e.Line.ToString(CultureInfo.InvariantCulture)}].{e.Field}")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray());
        return TypedResults.ValidationProblem(errors,
            detail: result.TotalErrors > result.Errors.Count
                ? $"{result.TotalErrors} problem(s) in {result.Rows} row(s), the first {result.Errors.Count} listed; nothing was imported."
                : $"{result.Errors.Count} problem(s) in {result.Rows} row(s); nothing was imported.",
            title: "The import was rejected.");
    }

    private static async Task<Results<Ok<IReadOnlyList<HoldingView>>, ProblemHttpResult>> GetHoldingsAsync(
        HoldingsReader reader, CancellationToken cancellationToken, string? account_id = null)
    {
        if (account_id is not null && !await reader.AccountExistsAsync(account_id, cancellationToken))
        {
            return UnknownAccount(account_id);
        }

        return TypedResults.Ok<IReadOnlyList<HoldingView>>((await reader.GetHoldingsAsync(account_id, cancellationToken)).Select(HoldingView.From).ToList());
    }

    private static async Task<Results<Ok<IReadOnlyList<MonthlyHoldingView>>, ValidationProblem, ProblemHttpResult>> GetMonthlyAsync(
        HoldingsReader reader, CancellationToken cancellationToken, string? account_id = null, string? month = null)
    {
        DateOnly? first = null;
        if (month is not null)
        {
            if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = [$"A month as YYYY-MM, e.g. 2026-01; was '{month}'."] });
            }

            first = parsed;
        }

        if (account_id is not null && !await reader.AccountExistsAsync(account_id, cancellationToken))
        {
            return UnknownAccount(account_id);
        }

        return TypedResults.Ok<IReadOnlyList<MonthlyHoldingView>>(
            (await reader.GetMonthlyHoldingsAsync(account_id, first, cancellationToken)).Select(MonthlyHoldingView.From).ToList());
    }

    private static ProblemHttpResult UnknownAccount(string accountId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown account", detail: $"There is no account '{accountId}'.");
}
