using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.Vestr;
using Tributary.Vestr;

namespace Tributary.Api.Vestr;

/// <summary>
/// Vestr fees: a sync now (a run of <c>vestr_fees</c>, so <c>/api/etl/runs/{id}</c> and <c>/api/schedules/vestr_fees</c>
/// show it too), the stored fee deductions, their daily and monthly summaries, lifetime totals per product, the
/// latest-fee snapshot per product, and the syncs' record. Fees are organisation data: every key of the scope sees them.
/// </summary>
public static partial class VestrEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1_000;

    public static IEndpointRouteBuilder MapVestrEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/vestr").WithTags("Vestr").AddEndpointFilter(RequireVestrAsync).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/sync", SyncAsync).WithName("StartVestrSync").RetriedOnFailover().AcceptsStartBody<VestrSyncBody>()
            .WithSummary("Sync fee deductions now: the last days (default Vestr:IncrementalDays) or force_full from Vestr:FullSyncFrom. 202 with the run id (or the running one's).");
        group.MapGet("/syncs", SyncsAsync).WithName("ListVestrSyncs").WithSummary("Fee syncs, newest first: range, records, inserted/updated/unchanged, outcome.");
        group.MapGet("/fees", FeesAsync).WithName("ListVestrFees")
            .WithSummary("Fee deductions in (booking date, id) order; isin, from, to (yyyy-MM-dd), fee_type filter; limit 1..1000 and cursor page.");
        group.MapGet("/summaries/monthly", MonthlyAsync).WithName("ListVestrMonthlySummaries").WithSummary("Fees per month, product, fee type and currency.");
        group.MapGet("/summaries/daily", DailyAsync).WithName("ListVestrDailySummaries").WithSummary("Fees per day, product, fee type and currency.");
        group.MapGet("/products", ProductsAsync).WithName("ListVestrProducts").WithSummary("Lifetime fee totals per product and currency.");
        group.MapGet("/products/{isin}/snapshot", SnapshotAsync).WithName("GetVestrProductSnapshot")
            .WithSummary("A product's latest management, performance and custody fee, its latest fee of any type and its outstanding quantity.");
        group.MapGet("/snapshots", SnapshotsAsync).WithName("ListVestrSnapshots").WithSummary("Every product's latest-fee snapshot.");
        return app;
    }

    private static async ValueTask<object?> RequireVestrAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await context.HttpContext.RequestServices.GetRequiredService<KnownJobs>().ContainsAsync(VestrKeys.JobName))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Vestr fees are not configured",
                detail: "The silos have no Vestr login: set Vestr:KeycloakUrl, Vestr:GraphQlUrl, Vestr:Username, Vestr:Password and Vestr:TotpSecret on every silo.");
        }

        return await next(context);
    }

    private static async Task<Results<Accepted<VestrSyncStarted>, ValidationProblem>> SyncAsync(HttpContext http, IClusterClient client)
    {
        var body = await StartRequestBody.ReadAsync<VestrSyncBody>(http) ?? new VestrSyncBody();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Days is { } days && days is < 1 or > 3_650)
        {
            errors["days"] = [$"Must be 1..3650 days back, was {days}."];
        }

        if (body.ForceFull == true && body.Days is not null)
        {
            errors["days"] = ["A full sync reads everything since Vestr:FullSyncFrom: leave days out, or set force_full to false."];
        }

        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            foreach (var (key, value) in badKey)
            {
                errors[key] = value;
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.ForceFull == true)
        {
            parameters[VestrKeys.ForceFullParameter] = "true";
        }

        if (body.Days is { } back)
        {
            parameters[VestrKeys.DaysParameter] = back.ToString(CultureInfo.InvariantCulture);
        }

        var ticket = await client.GetGrain<IJobGrain>(JobKey.For(VestrKeys.JobName))
            .Trigger(new RunRequest(RunTrigger.Manual, Parameters: parameters, IdempotencyKey: RequestIdempotency.KeyOf(http)));
        return TypedResults.Accepted($"/api/etl/runs/{ticket.RunId}",
            new VestrSyncStarted(ticket.RunId, ticket.Started, ticket.Status.ToText(), $"/api/etl/runs/{ticket.RunId}"));
    }

    private static async Task<Results<Ok<IReadOnlyList<FeeSyncView>>, ValidationProblem>> SyncsAsync(VestrFeeStore store, CancellationToken cancellationToken, int limit = 20)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be 1..500, was {limit}."] });
        }

        return TypedResults.Ok<IReadOnlyList<FeeSyncView>>([.. (await store.ListSyncsAsync(limit, cancellationToken)).Select(FeeSyncView.From)]);
    }

    private static async Task<Results<Ok<FeePageView>, ValidationProblem>> FeesAsync(
        VestrFeeStore store, CancellationToken cancellationToken, string? isin = null, string? from = null, string? to = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "fee_type")] string? feeType = null, string? limit = null, string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (first, last) = Range(from, to, errors);
        CheckIsin(isin, errors);
        var type = feeType?.ToUpperInvariant();
        if (type is not null && !FeeTypes.All.Contains(type))
        {
            errors["fee_type"] = [$"One of {string.Join(", ", FeeTypes.All.Select(t => t.ToLowerInvariant()))} (any case); was '{Shown(feeType)}'."];
        }

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"A whole number from 1 to {MaxLimit}; was '{Shown(limit)}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var page = await store.ListFeesAsync(new FeeQuery(isin, first, last, type, take, cursor), cancellationToken);
            return TypedResults.Ok(new FeePageView([.. page.Items.Select(FeeView.From)], page.NextCursor));
        }
        catch (ArgumentException exception) when (exception.ParamName == "cursor")
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = ["Pass the next_cursor of the previous page, or none for the first page."] });
        }
    }

    private static Task<Results<Ok<IReadOnlyList<FeeSummaryView>>, ValidationProblem>> MonthlyAsync(
        VestrFeeStore store, CancellationToken cancellationToken, string? isin = null, string? from = null, string? to = null) =>
        SummariesAsync(isin, from, to, (i, f, t) => store.MonthlySummariesAsync(i, f, t, cancellationToken));

    private static Task<Results<Ok<IReadOnlyList<FeeSummaryView>>, ValidationProblem>> DailyAsync(
        VestrFeeStore store, CancellationToken cancellationToken, string? isin = null, string? from = null, string? to = null) =>
        SummariesAsync(isin, from, to, (i, f, t) => store.DailySummariesAsync(i, f, t, cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<FeeSummaryView>>, ValidationProblem>> SummariesAsync(
        string? isin, string? from, string? to, Func<string?, DateOnly?, DateOnly?, Task<IReadOnlyList<FeeSummary>>> read)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (first, last) = Range(from, to, errors);
        CheckIsin(isin, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok<IReadOnlyList<FeeSummaryView>>([.. (await read(isin, first, last)).Select(FeeSummaryView.From)]);
    }

    private static async Task<Ok<IReadOnlyList<ProductTotalView>>> ProductsAsync(VestrFeeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ProductTotalView>>([.. (await store.ProductTotalsAsync(cancellationToken)).Select(ProductTotalView.From)]);

    private static async Task<Results<Ok<FeeSnapshotView>, ValidationProblem, ProblemHttpResult>> SnapshotAsync(string isin, VestrFeeStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckIsin(isin, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.GetSnapshotAsync(isin, cancellationToken) is { } snapshot
            ? TypedResults.Ok(FeeSnapshotView.From(snapshot))
            : TypedResults.Problem(statusCode: 404, title: "Unknown product", detail: $"No fee of product {isin} has been synced.");
    }

    private static async Task<Ok<IReadOnlyList<FeeSnapshotView>>> SnapshotsAsync(VestrFeeStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<FeeSnapshotView>>([.. (await store.ListSnapshotsAsync(cancellationToken)).Select(FeeSnapshotView.From)]);

    private static (DateOnly? From, DateOnly? To) Range(string? from, string? to, Dictionary<string, string[]> errors)
    {
        DateOnly? Parse(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors[field] = [$"An ISO date, yyyy-MM-dd; was '{Shown(text)}'."];
            return null;
        }

        var (first, last) = (Parse(from, "from"), Parse(to, "to"));
        if (first > last)
        {
            errors["from"] = [$"Must be on or before to ({last:yyyy-MM-dd}), was {first:yyyy-MM-dd}."];
        }

        return (first, last);
    }

    private static void CheckIsin(string? isin, Dictionary<string, string[]> errors)
    {
        if (isin is not null && !Isin().IsMatch(isin))
        {
            errors["isin"] = [$"An ISIN: two letters, nine letters or digits and a check digit (e.g. CH0012345678); was '{Shown(isin)}'."];
        }
    }

    private static string Shown(string? text) => text is null ? "null" : text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[A-Z]{2}[A-Z0-9]{9}[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex Isin();
}
