using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Auth;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Dossiers;
using Tributary.Storage.Jobs;
using Tributary.WealthX;

namespace Tributary.Api.WealthX;

/// <summary>
/// A WealthX feed's pull: its progress (the old script's <c>progress.json</c>), sessions on demand, a connection
/// check (the old <c>test_wealthx_api.py</c>), a reset, the projection of its settings, and the stored dossiers. Sessions are runs of the feed's job
/// (<c>wealthx_{feed}</c>), so <c>/api/etl/runs/{id}</c> and <c>/api/schedules/wealthx_{feed}</c> show them too.
/// </summary>
public static class WealthXEndpoints
{
    private const int MaxTextLength = 200;
    private const int MaxSessionBatches = 1_000;
    private const int DefaultDays = 30;
    private const int MaxDays = 366;

    private const string ResetConfirmation =
        "Must be true: a reset starts the pull over from index 1 and forgets its counters; the stored dossiers are kept.";

    public static IEndpointRouteBuilder MapWealthXEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/wealthx").WithTags("WealthX");
        group.MapGet("/{feed}/status", GetStatusAsync).WithName("GetWealthXStatus")
            .WithSummary("The pull's progress with the old script's progress.json names: cursor, totals, sessions, estimate, schedule, settings.");
        group.MapPost("/{feed}/sessions", StartSessionAsync).WithName("StartWealthXSession").RetriedOnFailover()
            .AcceptsStartBody<SessionStartBody>()
            .WithSummary("Start a session now (or get the running one's id); optional maxBatches (1..1000), in the query or the JSON body, caps its calls. 202 with the run id.");
        group.MapPost("/{feed}/check", CheckAsync).WithName("CheckWealthXConnection").AcceptsStartBody<NoParametersBody>()
            .WithSummary("Check the feed's login and limits: one call of 1 record (login, total, round trip), one of ApiBatchSize + 1 (refused?). Stores nothing, moves no cursor.");
        group.MapPost("/{feed}/reset", ResetAsync).WithName("ResetWealthXPull").RequireAuthorization(ApiKeyScopes.Policies.Admin).AcceptsStartBody<ResetBody>()
            .WithSummary("Admin: start the pull over from index 1 (needs confirm=true; refused while a session runs). Stored dossiers are kept.");
        group.MapPost("/{feed}/cleanup", CleanupAsync).WithName("CleanupWealthXDuplicates").RequireAuthorization(ApiKeyScopes.Policies.Admin).AcceptsStartBody<NoParametersBody>()
            .WithSummary("Admin: remove all but the newest copy of every dossier ID stored more than once.");
        group.MapGet("/{feed}/projection", GetProjectionAsync).WithName("GetWealthXProjection")
            .WithSummary("What the settings and schedule add up to: calls per session, sessions and records per day, days to finish, safety buffer.");
        group.MapGet("/{feed}/daily", GetDailyAsync).WithName("GetWealthXDaily")
            .WithSummary("Records per day: for each of the last N UTC days (days=1..366, default 30; today last), the dossiers the sessions' pages stored and how many sessions stored them.");
        group.MapGet("/{feed}/dossiers/{id}", GetDossierAsync).WithName("GetWealthXDossier")
            .WithSummary("One stored dossier: the JSON WealthX sent, with its store times and content hash.");
        group.MapGet("/{feed}/dossiers", SearchDossiersAsync).WithName("SearchWealthXDossiers")
            .WithSummary("Stored dossiers in ID order; name (substring of full, first or last name) and category (exact) filter, offset/limit page.");
        return app;
    }

    private static async Task<Results<Ok<WealthXStatusView>, ProblemHttpResult, ValidationProblem>> GetStatusAsync(
        string feed, IClusterClient client, WealthXStatusSource status, CancellationToken cancellationToken)
    {
        if (FeedErrors(feed) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var progress = await Pull(client, feed).GetProgress();
            var schedule = await status.ScheduleAsync(feed, () => ScheduleOfAsync(client, feed));
            return TypedResults.Ok(await status.BuildAsync(feed, progress, schedule, cancellationToken));
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
    }

    private static async Task<Results<Accepted<RunTicketView>, ProblemHttpResult, ValidationProblem>> StartSessionAsync(
        string feed, IClusterClient client, HttpContext http, string? maxBatches = null)
    {
        var body = await StartRequestBody.ReadAsync<SessionStartBody>(http);
        var errors = RequestIdempotency.Problem(http) ?? new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        maxBatches = StartRequestBody.Merge(
            errors, "maxBatches", maxBatches, body?.MaxBatches?.ToString(CultureInfo.InvariantCulture),
            (query, given) => int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed.ToString(CultureInfo.InvariantCulture) == given);
        var batches = 0;
        if (maxBatches is not null
            && !errors.ContainsKey("maxBatches")
            && (!int.TryParse(maxBatches, NumberStyles.None, CultureInfo.InvariantCulture, out batches) || batches is < 1 or > MaxSessionBatches))
        {
            errors["maxBatches"] = [$"A whole number from 1 to {MaxSessionBatches}; was '{maxBatches}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var parameters = new Dictionary<string, string>();
        if (maxBatches is not null)
        {
            parameters["maxBatches"] = batches.ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            // The pull grain knows which feeds the silos configured; the job grain would only say "unknown job".
            await Pull(client, feed).GetProgress();
            var ticket = await Job(client, feed).Trigger(new RunRequest(RunTrigger.Manual, null, parameters, IdempotencyKey: RequestIdempotency.KeyOf(http)));
            return ticket.NotFound is { } why
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown feed", detail: why)
                : TypedResults.Accepted($"/api/etl/runs/{ticket.RunId}", RunTicketView.From(ticket));
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
    }

    /// <remarks>Always 200 once the feed exists: a refused login is a finding of the check (<c>login_ok: false</c>), not an error of this request.</remarks>
    private static async Task<Results<Ok<WealthXConnectionCheckView>, ProblemHttpResult, ValidationProblem>> CheckAsync(string feed, IClusterClient client, HttpContext http)
    {
        // No parameters: a body may be {} or nothing, and any field in it is refused before anything is called.
        await StartRequestBody.ReadAsync<NoParametersBody>(http);
        if (FeedErrors(feed) is { } invalid)
        {
            return invalid;
        }

        try
        {
            return TypedResults.Ok(WealthXConnectionCheckView.From(await client.GetGrain<IWealthXCheckGrain>(WealthXFeed.GrainKey(feed)).Check()));
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
    }

    private static async Task<Results<Ok<WealthXStatusView>, ProblemHttpResult, ValidationProblem>> ResetAsync(
        string feed, IClusterClient client, WealthXStatusSource status, HttpContext http, CancellationToken cancellationToken, string? confirm = null)
    {
        // confirm in the query or the JSON body, like every route's parameters; any other field is refused.
        if ((await StartRequestBody.ReadAsync<ResetBody>(http))?.Confirm is { } confirmed)
        {
            confirm = confirmed ? "true" : "false";
        }

        var errors = new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        if (!string.Equals(confirm, "true", StringComparison.OrdinalIgnoreCase))
        {
            errors["confirm"] = [ResetConfirmation];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            // The job grain is the one that knows whether a session's run is under way; the pull grain never calls it.
            var snapshot = await Job(client, feed).GetSnapshot();
            var progress = await Pull(client, feed).Reset(snapshot.CurrentRunId);
            status.Forget(feed);
            return TypedResults.Ok(await status.BuildAsync(feed, progress, await ScheduleOfAsync(client, feed), cancellationToken));
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
        catch (WealthXSessionRunningException exception)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A session is running", detail: exception.Message);
        }
    }

    private static async Task<Results<Ok<DuplicateCleanupView>, ProblemHttpResult, ValidationProblem>> CleanupAsync(
        string feed, IClusterClient client, DossierStores stores, HttpContext http, CancellationToken cancellationToken)
    {
        await StartRequestBody.ReadAsync<NoParametersBody>(http);
        if (FeedErrors(feed) is { } invalid)
        {
            return invalid;
        }

        if (await FeedMissingAsync(client, feed) is { } missing)
        {
            return missing;
        }

        return TypedResults.Ok(DuplicateCleanupView.From(await stores.For(feed).CleanupDuplicatesAsync(cancellationToken)));
    }

    private static async Task<Results<Ok<WealthXProjectionView>, ProblemHttpResult, ValidationProblem>> GetProjectionAsync(
        string feed, IClusterClient client, TimeProvider time)
    {
        if (FeedErrors(feed) is { } invalid)
        {
            return invalid;
        }

        try
        {
            var progress = await Pull(client, feed).GetProgress();
            var schedule = await ScheduleOfAsync(client, feed);
            var (cron, zone) = schedule is { Cron: { } scheduled }
                ? (scheduled, schedule.TimeZone ?? ScheduleLimits.DefaultTimeZone)
                : (progress.Settings.Schedule, progress.Settings.TimeZone);
            return TypedResults.Ok(WealthXProjection.Compute(progress.Settings, progress.TotalDossiers, progress.RecordsProcessed, cron, zone, time.GetUtcNow()));
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
    }

    /// <remarks>
    /// A page's records count on the day the page finished (its batch in <c>job_run_batches</c>), so a session that runs
    /// over midnight counts on both days; every day of the window is listed, with zeros where nothing was stored.
    /// </remarks>
    private static async Task<Results<Ok<IReadOnlyList<WealthXDayView>>, ProblemHttpResult, ValidationProblem>> GetDailyAsync(
        string feed, IClusterClient client, JobRunStore runs, TimeProvider time, CancellationToken cancellationToken, string? days = null)
    {
        var errors = new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        var count = DefaultDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDays))
        {
            errors["days"] = [$"A whole number from 1 to {MaxDays}; was '{days}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await FeedMissingAsync(client, feed) is { } missing)
        {
            return missing;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - count);
        var stored = (await runs.ItemsPerDayAsync(WealthXFeed.JobName(feed), first, cancellationToken)).ToDictionary(d => d.Day);
        IReadOnlyList<WealthXDayView> view = Enumerable.Range(0, count)
            .Select(i => first.AddDays(i))
            .Select(day => stored.TryGetValue(day, out var d) ? new WealthXDayView(day, d.Items, d.Runs) : new WealthXDayView(day, 0, 0))
            .ToList();
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<DossierView>, ProblemHttpResult, ValidationProblem>> GetDossierAsync(
        string feed, string id, IClusterClient client, DossierStores stores, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var dossierId) || dossierId < 1)
        {
            errors["id"] = [$"A dossier id is a positive whole number; was '{id}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await FeedMissingAsync(client, feed) is { } missing)
        {
            return missing;
        }

        var stored = await stores.For(feed).GetAsync(dossierId, cancellationToken);
        return stored is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown dossier", detail: $"There is no dossier {dossierId} in the store.")
            : TypedResults.Ok(DossierView.From(stored));
    }

    private static async Task<Results<Ok<DossierSearchView>, ProblemHttpResult, ValidationProblem>> SearchDossiersAsync(
        string feed, IClusterClient client, DossierStores stores, CancellationToken cancellationToken,
        string? name = null, string? category = null, string? offset = null, string? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        foreach (var (field, value) in new[] { ("name", name), ("category", category) })
        {
            if (value is { Length: > MaxTextLength })
            {
                errors[field] = [$"At most {MaxTextLength} characters; was {value.Length}."];
            }
        }

        var skip = 0;
        if (offset is not null && !int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            errors["offset"] = [$"A whole number, 0 or more; was '{offset}'."];
        }

        var take = 50;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > DossierQuery.MaxLimit))
        {
            errors["limit"] = [$"A whole number from 1 to {DossierQuery.MaxLimit}; was '{limit}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await FeedMissingAsync(client, feed) is { } missing)
        {
            return missing;
        }

        // An empty filter means no filter, as an omitted one does.
        var query = new DossierQuery(string.IsNullOrEmpty(name) ? null : name, string.IsNullOrEmpty(category) ? null : category, skip, take);
        query.Validate();
        var page = await stores.For(feed).SearchAsync(query, cancellationToken);
        return TypedResults.Ok(new DossierSearchView(page.Items.Select(DossierView.From).ToList(), page.Total, skip, take));
    }

    /// <summary>The feed job's schedule, or null when it has none.</summary>
    private static async Task<ScheduleSnapshot?> ScheduleOfAsync(IClusterClient client, string feed)
    {
        var view = await client.GetGrain<IScheduleGrain>(ScheduleKey.For(WealthXFeed.JobName(feed))).Get();
        return view.Configured ? view : null;
    }

    /// <summary>A 404 problem when no feed of that name is configured; null when it is.</summary>
    private static async Task<ProblemHttpResult?> FeedMissingAsync(IClusterClient client, string feed)
    {
        try
        {
            await Pull(client, feed).GetProgress();
            return null;
        }
        catch (WealthXFeedNotFoundException exception)
        {
            return UnknownFeed(exception);
        }
    }

    private static IWealthXPullGrain Pull(IClusterClient client, string feed) => client.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey(feed));

    private static IJobGrain Job(IClusterClient client, string feed) => client.GetGrain<IJobGrain>(JobKey.For(WealthXFeed.JobName(feed)));

    private static ProblemHttpResult UnknownFeed(WealthXFeedNotFoundException exception) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown feed", detail: exception.Message);

    private static ValidationProblem? FeedErrors(string feed)
    {
        var errors = new Dictionary<string, string[]>();
        AddFeedError(errors, feed);
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors) : null;
    }

    private static void AddFeedError(Dictionary<string, string[]> errors, string feed)
    {
        if (!WealthXFeed.IsValidName(feed))
        {
            errors["feed"] = [$"A feed name is 1 to 40 characters from a-z, 0-9, '_' and '-'; was '{feed}'."];
        }
    }
}
