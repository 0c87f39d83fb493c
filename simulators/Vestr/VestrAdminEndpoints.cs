using System.Globalization;
using Tributary.Simulators.Admin;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// <c>/_admin/vestr</c>: the extent of the data, every deduction as served (for independent checks), late
/// corrections, the <c>RATE_LIMITED</c> knob and a reset.
/// </summary>
public static class VestrAdminEndpoints
{
    public static IEndpointRouteBuilder MapVestrAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(VestrRoutes.AdminPath);

        admin.MapGet("/", (FeeLedger ledger) => TypedResults.Json(Snapshot(ledger), VestrJsonContext.Default.VestrSnapshot));

        admin.MapGet("/deductions", (HttpRequest request, FeeLedger ledger) =>
        {
            var from = ledger.FirstDay;
            var to = ledger.Today;
            foreach (var (field, apply) in new (string, Action<DateOnly>)[] { ("from", value => from = value), ("to", value => to = value) })
            {
                var text = request.Query[field].ToString();
                if (text.Length == 0)
                {
                    continue;
                }

                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return AdminBody.Invalid(field, $"{field} must be a date yyyy-MM-dd; was '{text}'.");
                }

                apply(date);
            }

            if (from > to)
            {
                return AdminBody.Invalid("from", $"from ({from:yyyy-MM-dd}) must be on or before to ({to:yyyy-MM-dd}).");
            }

            return TypedResults.Json(
                ledger.Deductions(from, to).Select(FeeDeductionEntry.Of).ToList(),
                VestrJsonContext.Default.ListFeeDeductionEntry);
        });

        admin.MapPost("/corrections", async (HttpRequest request, FeeLedger ledger) =>
        {
            var body = await AdminBody.ReadAsync<CorrectionsRequest>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            if (body.Value?.Count is not { } count)
            {
                return AdminBody.Invalid("count", "count is required: how many deductions of the last 30 days get a new amount.");
            }

            if (count is < 1 or > 10_000)
            {
                return AdminBody.Invalid("count", $"count must be 1..10000; was {count}.");
            }

            return ledger.Correct(count, body.Value.Rebook ?? false) is { } corrections
                ? TypedResults.Json(new FeeCorrectionsReply(corrections), VestrJsonContext.Default.FeeCorrectionsReply)
                : AdminBody.Invalid("count", $"count must be at most the number of deductions of the last {VestrRoutes.CorrectionWindowDays} days not corrected yet; {count} is too many.");
        });

        admin.MapPut("/rate-limited", async (HttpRequest request, FeeLedger ledger) =>
        {
            var body = await AdminBody.ReadAsync<RateLimitedRequest>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            if (body.Value?.Count is not { } count)
            {
                return AdminBody.Invalid("count", "count is required: how many of the next GraphQL requests answer RATE_LIMITED.");
            }

            if (count is < 0 or > 1_000_000)
            {
                return AdminBody.Invalid("count", $"count must be 0..1000000; was {count}.");
            }

            var retryAfter = body.Value.RetryAfterSeconds ?? 1;
            if (retryAfter is < 0 or > 3_600)
            {
                return AdminBody.Invalid("retryAfterSeconds", $"retryAfterSeconds must be 0..3600; was {retryAfter}.");
            }

            ledger.RateLimitNext(count, retryAfter);
            return TypedResults.Json(Snapshot(ledger), VestrJsonContext.Default.VestrSnapshot);
        });

        admin.MapPost("/reset", (FeeLedger ledger) =>
        {
            ledger.Reset();
            return TypedResults.Json(Snapshot(ledger), VestrJsonContext.Default.VestrSnapshot);
        });

        return endpoints;
    }

    private static VestrSnapshot Snapshot(FeeLedger ledger) =>
        new(ledger.Products.Count, ledger.FirstDay, ledger.Today, ledger.CorrectionCount, ledger.RateLimitedRemaining);

    /// <summary>Body of <c>POST /_admin/vestr/corrections</c>; with <c>rebook</c> the deductions move to another product instead of changing their amount.</summary>
    public sealed record CorrectionsRequest(int? Count, bool? Rebook);

    /// <summary>Body of <c>PUT /_admin/vestr/rate-limited</c>; <c>retryAfterSeconds</c> defaults to 1.</summary>
    public sealed record RateLimitedRequest(int? Count, int? RetryAfterSeconds);
}
