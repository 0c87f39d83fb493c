using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Auth;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;
using Tributary.Scheduling;
using Tributary.Storage.TrueLayer;
using Tributary.TrueLayer;

namespace Tributary.Api.TrueLayer;

/// <summary>
/// Bank connections through TrueLayer and the imports of their transactions: link a bank (the dialog, or a refresh
/// token), list its accounts, plan an import (estimates), start it (202 at once), follow it (status, SSE events
/// <c>tributary.truelayer.import.progress</c>), and the user's history.
/// </summary>
/// <remarks>
/// Connections and imports belong to the user of the key that made them: another user's id answers 404, an admin key
/// sees all. The callback is the one route without a key: the <c>state</c> of the link binds it to its user.
/// </remarks>
public static class TrueLayerEndpoints
{
    private const int MaxHistory = 500;

    public static IEndpointRouteBuilder MapTrueLayerEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/truelayer").WithTags("TrueLayer").AddEndpointFilter(RequireTrueLayerAsync)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/connect", ConnectAsync).WithName("ConnectTrueLayer")
            .WithSummary("A link to TrueLayer's dialog for this key's user: open it in a browser; it ends at /api/truelayer/callback, which stores the connection.");
        group.MapGet("/callback", CallbackAsync).WithName("TrueLayerCallback").AllowAnonymous()
            .WithSummary("Where TrueLayer's dialog returns (no key: the single-use state binds it to the user who asked for the link).");
        group.MapGet("/connections", ListConnectionsAsync).WithName("ListTrueLayerConnections")
            .WithSummary("This user's bank connections (all for an admin key): provider, status, consent expiry. Tokens are never shown.");
        group.MapPost("/connections", CreateConnectionAsync).WithName("CreateTrueLayerConnection").RetriedOnFailover()
            .WithSummary("Link a bank with a refresh token the user already holds (it rotates: the token sent stops working).");
        group.MapGet("/connections/{id}", GetConnectionAsync).WithName("GetTrueLayerConnection")
            .WithSummary("One connection.");
        group.MapGet("/connections/{id}/accounts", ListAccountsAsync).WithName("ListTrueLayerAccounts")
            .WithSummary("The connection's accounts and cards with type, currency, display name and last synced time; refresh=true reads them from TrueLayer again.");
        group.MapGet("/connections/{id}/schedule", GetScheduleAsync).WithName("GetTrueLayerConnectionSchedule")
            .WithSummary("The connection's recurring import: cron, time zone, misfire policy, next due, last outcome.");
        group.MapPut("/connections/{id}/schedule", ChangeScheduleAsync).WithName("ChangeTrueLayerConnectionSchedule")
            .WithSummary("Create or change the connection's recurring import (the schedules' fields: cron, timeZone, misfire, maxCatchUp, enabled). "
                + "Each occurrence imports every account from where its last import reached.");

        var import = group.MapGroup("/import");
        import.MapPost("/plan", PlanAsync).WithName("PlanTrueLayerImport").RetriedOnFailover()
            .WithSummary("Plan an import: validates the range, batch size and accounts, estimates transactions, duration and cost from past imports. Nothing runs yet.");
        import.MapPost("/start", StartAsync).WithName("StartTrueLayerImport").RetriedOnFailover()
            .WithSummary("Start a planned import: 202 at once; accounts run max_workers at a time. Starting a running import again answers the same run.");
        import.MapGet("/status/{job_id}", StatusAsync).WithName("GetTrueLayerImportStatus")
            .WithSummary("An import's progress: accounts done, per-account counts and status, totals so far, estimated completion.");
        group.MapPost("/enrichment", EnrichAsync).WithName("StartTrueLayerEnrichment").RetriedOnFailover()
            .WithSummary("Categorise transactions: those an import stored (import_job_id), or a connection's accounts (all or account_ids) booked from from_date to to_date. 202 at once.");
        group.MapGet("/enrichment/{job_id}", EnrichmentStatusAsync).WithName("GetTrueLayerEnrichment")
            .WithSummary("An enrichment job: status, transactions categorised, its import or range.");
        import.MapGet("/history", HistoryAsync).WithName("ListTrueLayerImports")
            .WithSummary("Imports, newest first: this user's (user_id may name only yourself), or any user's for an admin key.");
        return app;
    }

    /// <summary>
    /// Every route needs the silos to run the import domain (a TrueLayer client configured): without it the answer is a
    /// 503 that says what to set, never an activation of a grain whose services do not exist.
    /// </summary>
    private static async ValueTask<object?> RequireTrueLayerAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var jobs = context.HttpContext.RequestServices.GetRequiredService<KnownJobs>();
        if (!await jobs.ContainsAsync(TrueLayerNames.ImportJob))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Bank imports are not configured",
                detail: "The silos have no TrueLayer client: set TrueLayer:ClientId, TrueLayer:ClientSecret, TrueLayer:AuthUrl, TrueLayer:DataUrl and TrueLayer:RedirectUri (and DataProtection:KeyRingKey) on every silo.");
        }

        return await next(context);
    }

    private static async Task<Ok<ConnectLinkView>> ConnectAsync(ClaimsPrincipal principal, IClusterClient client)
    {
        var link = await client.GetGrain<ITrueLayerAuthGrain>(0).BeginConnect(ApiCaller.From(principal).User);
        return TypedResults.Ok(new ConnectLinkView(link.AuthUrl.ToString(), link.ExpiresAt));
    }

    private static async Task<IResult> CallbackAsync(HttpRequest request, IClusterClient client, string? code = null, string? state = null, string? error = null)
    {
        if (!string.IsNullOrEmpty(error))
        {
            return Problem(request, 400, "The bank connection was not made",
                $"TrueLayer's dialog ended with '{Truncate(error)}': nothing was connected. Start again from GET /api/truelayer/connect.");
        }

        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [string.IsNullOrEmpty(code) ? "code" : "state"] = ["Required: this route is where TrueLayer's dialog sends the browser back, with code and state."],
            });
        }

        var result = await client.GetGrain<ITrueLayerAuthGrain>(0).CompleteConnect(code, state);
        if (result.Problem is { } problem)
        {
            return Problem(request, result.Status, "The bank connection was not made", problem);
        }

        var body = new { connection_id = result.ConnectionId, status = "active", accounts = result.Accounts };
        return WantsHtml(request)
            ? TypedResults.Content(
                $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Bank connected</title></head><body><h1>Bank connected</h1>"
                + $"<p>Connection <code>{WebUtility.HtmlEncode(result.ConnectionId)}</code> with {result.Accounts} accounts and cards is ready. You can close this window.</p></body></html>",
                "text/html; charset=utf-8")
            : TypedResults.Ok(body);
    }

    private static async Task<Ok<IReadOnlyList<ConnectionView>>> ListConnectionsAsync(ClaimsPrincipal principal, TrueLayerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ConnectionView>>([.. (await store.ListConnectionsAsync(ApiCaller.From(principal).OwnerFilter, cancellationToken)).Select(ConnectionView.From)]);

    private static async Task<Results<Created<ConnectionView>, ValidationProblem, ProblemHttpResult>> CreateConnectionAsync(
        ConnectionCreateBody body, ClaimsPrincipal principal, IClusterClient client, TrueLayerStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            return TypedResults.ValidationProblem(badKey);
        }

        if (string.IsNullOrWhiteSpace(body.RefreshToken) || body.RefreshToken.Length > 4_096)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refresh_token"] = ["Required: a TrueLayer refresh token of up to 4096 characters."] });
        }

        var caller = ApiCaller.From(principal);
        // From the request's key: a retry (the gateway's after a silo died, or the client's with the same key) finds the
        // connection the first attempt linked, rather than sending the refresh token again (it rotated: it would fail).
        var connectionId = IdempotentIds.ConnectionId(http, caller.User);
        var result = await client.GetGrain<IConnectionGrain>(connectionId).Link(new ConnectionLink(caller.User, null, body.RefreshToken));
        if (result.Problem is { } problem)
        {
            return result.Status == 400
                ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refresh_token"] = [problem] })
                : TypedResults.Problem(statusCode: result.Status, title: "The bank connection was not made", detail: problem);
        }

        var connection = await store.GetConnectionAsync(connectionId, cancellationToken);
        return TypedResults.Created($"/api/truelayer/connections/{connectionId}", ConnectionView.From(connection!));
    }

    private static async Task<Results<Ok<ConnectionView>, ProblemHttpResult>> GetConnectionAsync(
        string id, ClaimsPrincipal principal, TrueLayerStore store, CancellationToken cancellationToken) =>
        await OwnConnectionAsync(id, principal, store, cancellationToken) is { } connection
            ? TypedResults.Ok(ConnectionView.From(connection))
            : UnknownConnection(id);

    private static async Task<Results<Ok<IReadOnlyList<AccountView>>, ProblemHttpResult>> ListAccountsAsync(
        string id, ClaimsPrincipal principal, TrueLayerStore store, IClusterClient client, CancellationToken cancellationToken, bool refresh = false)
    {
        if (await OwnConnectionAsync(id, principal, store, cancellationToken) is not { } connection)
        {
            return UnknownConnection(id);
        }

        if (refresh && await client.GetGrain<IConnectionGrain>(connection.ConnectionId).RefreshAccounts() is { Problem: { } problem } failed)
        {
            return TypedResults.Problem(statusCode: failed.Status, title: "The accounts could not be read from TrueLayer", detail: problem);
        }

        return TypedResults.Ok<IReadOnlyList<AccountView>>([.. (await store.ListAccountsAsync(connection.ConnectionId, cancellationToken)).Select(AccountView.From)]);
    }

    private static async Task<Results<Created<ImportPlanView>, ValidationProblem, ProblemHttpResult>> PlanAsync(
        ImportPlanBody body, ClaimsPrincipal principal, IClusterClient client, HttpContext http)
    {
        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            return TypedResults.ValidationProblem(badKey);
        }

        var caller = ApiCaller.From(principal);
        // A retried plan (same Idempotency-Key, or the gateway's own retry) answers the job the first attempt planned.
        var jobId = IdempotentIds.For(http, "truelayer-plan", caller.User);
        var result = await client.GetGrain<IImportJobGrain>(jobId).Plan(new ImportPlanRequest(caller.User, caller.IsAdmin, body.ConnectionId, body.FromDate,
            body.ToDate, body.AccountIds, body.AutoEnrich ?? false, body.BatchSize, body.MaxWorkers));
        if (result.Errors is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return result.Plan is { } plan
            ? TypedResults.Created($"/api/truelayer/import/status/{plan.JobId}", ImportPlanView.From(plan))
            : TypedResults.Problem(statusCode: 404, title: "Unknown connection", detail: result.NotFound);
    }

    private static async Task<Results<Accepted<ImportStartView>, ValidationProblem, ProblemHttpResult>> StartAsync(
        ImportStartBody body, ClaimsPrincipal principal, IClusterClient client, HttpContext http)
    {
        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            return TypedResults.ValidationProblem(badKey);
        }

        if (!Guid.TryParse(body.JobId, out var jobId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["job_id"] = [$"Required: the job_id a plan returned (a UUID); was '{Truncate(body.JobId)}'."] });
        }

        var result = await client.GetGrain<IImportJobGrain>(jobId).Start(ApiCaller.From(principal).OwnerFilter);
        if (result.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: result.HttpStatus, title: result.HttpStatus == 404 ? "Unknown import job" : "The import cannot start", detail: problem);
        }

        var statusUrl = $"/api/truelayer/import/status/{jobId}";
        return TypedResults.Accepted(statusUrl, new ImportStartView(jobId, result.Status, result.RunId, statusUrl));
    }

    private static async Task<Results<Ok<ImportStatusView>, ValidationProblem, ProblemHttpResult>> StatusAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "job_id")] string jobIdText, ClaimsPrincipal principal, TrueLayerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobIdText, out var jobId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["job_id"] = [$"An import job id is a UUID; was '{Truncate(jobIdText)}'."] });
        }

        var caller = ApiCaller.From(principal);
        var job = await store.GetImportJobAsync(jobId, cancellationToken);
        if (job is null || (caller.OwnerFilter is { } owner && job.Owner != owner))
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown import job", detail: $"There is no import job {jobId}.");
        }

        var progress = await store.GetProgressAsync(jobId, cancellationToken);
        var names = (await store.ListAccountsAsync(job.ConnectionId, cancellationToken)).ToDictionary(a => a.AccountId, a => a.DisplayName, StringComparer.Ordinal);
        return TypedResults.Ok(ImportStatus.View(job, progress, names, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<IReadOnlyList<ImportHistoryView>>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        ClaimsPrincipal principal, TrueLayerStore store, CancellationToken cancellationToken,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "user_id")] string? userId = null, int limit = 50)
    {
        if (limit is < 1 or > MaxHistory)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be 1..{MaxHistory}, was {limit}."] });
        }

        var caller = ApiCaller.From(principal);
        string? owner;
        if (caller.IsAdmin)
        {
            owner = string.IsNullOrEmpty(userId) ? null : userId;
        }
        else if (string.IsNullOrEmpty(userId) || userId == caller.User)
        {
            owner = caller.User;
        }
        else
        {
            // Another user's history answers like a user who does not exist.
            return TypedResults.Problem(statusCode: 404, title: "Unknown user", detail: $"There is no user '{Truncate(userId)}' whose imports this key may see.");
        }

        var jobs = await store.ListImportJobsAsync(owner, limit, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ImportHistoryView>>([.. jobs.Select(ImportStatus.History)]);
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetScheduleAsync(
        string id, ClaimsPrincipal principal, TrueLayerStore store, IClusterClient client, CancellationToken cancellationToken)
    {
        if (await OwnConnectionAsync(id, principal, store, cancellationToken) is not { } connection)
        {
            return UnknownConnection(id);
        }

        var schedule = await ConnectionSchedule(client, connection.ConnectionId).Get();
        return schedule.Configured
            ? TypedResults.Ok(ScheduleView.From(schedule))
            : TypedResults.Problem(statusCode: 404, title: "No such schedule",
                detail: $"Connection '{connection.ConnectionId}' has no recurring import; PUT /api/truelayer/connections/{connection.ConnectionId}/schedule with a cron makes one.");
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ChangeScheduleAsync(
        string id, ScheduleChangeBody body, ClaimsPrincipal principal, TrueLayerStore store, IClusterClient client, CancellationToken cancellationToken)
    {
        if (await OwnConnectionAsync(id, principal, store, cancellationToken) is not { } connection)
        {
            return UnknownConnection(id);
        }

        return await ScheduleEndpoints.ChangeScheduleAsync(ConnectionSchedule(client, connection.ConnectionId), body);
    }

    /// <summary>A connection's recurring import is the schedule of the import job's run key for that connection.</summary>
    private static IScheduleGrain ConnectionSchedule(IClusterClient client, string connectionId) =>
        client.GetGrain<IScheduleGrain>(ScheduleKey.For(TrueLayerNames.ImportJob, connectionId));

    private static async Task<Results<Accepted<EnrichmentView>, ValidationProblem, ProblemHttpResult>> EnrichAsync(
        EnrichmentBody body, ClaimsPrincipal principal, IClusterClient client, EnrichmentStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            return TypedResults.ValidationProblem(badKey);
        }

        Guid? importJobId = null;
        if (body.ImportJobId is not null)
        {
            if (!Guid.TryParse(body.ImportJobId, out var parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["import_job_id"] = [$"An import job id is a UUID; was '{Truncate(body.ImportJobId)}'."] });
            }

            if (body.ConnectionId is not null || body.FromDate is not null || body.ToDate is not null || body.AccountIds is not null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["import_job_id"] = ["Give either import_job_id, or connection_id with from_date and to_date (and optionally account_ids), not both."],
                });
            }

            importJobId = parsed;
        }

        var caller = ApiCaller.From(principal);
        var jobId = IdempotentIds.For(http, "truelayer-enrichment", caller.User);
        var result = await client.GetGrain<IEnrichmentGrain>(jobId).Start(
            new EnrichmentRequest(caller.User, caller.IsAdmin, importJobId, body.ConnectionId, body.AccountIds, body.FromDate, body.ToDate));
        if (result.Errors is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (result.Problem is { } problem)
        {
            return TypedResults.Problem(statusCode: 503, title: "Enrichment cannot start", detail: problem);
        }

        var job = await store.GetAsync(jobId, cancellationToken);
        return TypedResults.Accepted($"/api/truelayer/enrichment/{jobId}", EnrichmentView.From(job!, result.RunId));
    }

    private static async Task<Results<Ok<EnrichmentView>, ValidationProblem, ProblemHttpResult>> EnrichmentStatusAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "job_id")] string jobIdText, ClaimsPrincipal principal, EnrichmentStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(jobIdText, out var jobId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["job_id"] = [$"An enrichment job id is a UUID; was '{Truncate(jobIdText)}'."] });
        }

        var job = await store.GetAsync(jobId, cancellationToken);
        return job is not null && (ApiCaller.From(principal).OwnerFilter is not { } owner || job.Owner == owner)
            ? TypedResults.Ok(EnrichmentView.From(job, null))
            : TypedResults.Problem(statusCode: 404, title: "Unknown enrichment job", detail: $"There is no enrichment job {jobId}.");
    }

    private static async Task<StoredConnection?> OwnConnectionAsync(string id, ClaimsPrincipal principal, TrueLayerStore store, CancellationToken cancellationToken)
    {
        if (id.Length > 100)
        {
            return null;
        }

        var connection = await store.GetConnectionAsync(id, cancellationToken);
        return connection is not null && (ApiCaller.From(principal).OwnerFilter is not { } owner || connection.Owner == owner) ? connection : null;
    }

    // Another user's connection answers exactly like one that does not exist.
    private static ProblemHttpResult UnknownConnection(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown connection", detail: $"There is no connection '{Truncate(id)}'. GET /api/truelayer/connections lists yours.");

    private static IResult Problem(HttpRequest request, int status, string title, string detail) =>
        WantsHtml(request)
            ? TypedResults.Content(
                $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head><body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(detail)}</p></body></html>",
                "text/html; charset=utf-8", statusCode: status)
            : TypedResults.Problem(statusCode: status, title: title, detail: detail);

    private static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string Truncate(string? text) => text is null ? "null" : text.Length <= 80 ? text : text[..80] + "…";
}
