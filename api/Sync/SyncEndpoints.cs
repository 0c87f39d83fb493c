using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Endpoints;
using Tributary.Api.Errors;
using Tributary.Storage.Jobs;
using Tributary.Storage.Relay;
using Tributary.Sync;

namespace Tributary.Api.Sync;

/// <summary>
/// The daily integrated sync (<c>/api/sync/runs</c>: start one with the seed's flags, its history with each step's
/// outcome) and the relay's last listing (<c>/api/relay/files</c>). A sync run is a run of <c>integrated_sync</c>, so
/// <c>/api/etl/runs/{id}</c> and <c>/api/schedules/integrated_sync</c> show it too. Runs are organisation data, like
/// every job's runs: every key of the scope sees them.
/// </summary>
public static class SyncEndpoints
{
    public static IEndpointRouteBuilder MapSyncEndpoints(this IEndpointRouteBuilder app)
    {
        var sync = app.MapGroup("/api/sync").WithTags("Integrated sync").AddEndpointFilter(RequireSyncAsync).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        sync.MapPost("/runs", StartAsync).WithName("StartSyncRun").RetriedOnFailover().AcceptsStartBody<SyncRunBody>()
            .WithSummary("Start the integrated sync now (credinvest -> vestr_fees -> fee_snapshots), with skip_* flags, delete_after_upload and download_dir. 202 with the run, or the running one's (started: false).");
        sync.MapGet("/runs", ListAsync).WithName("ListSyncRuns").WithSummary("Integrated sync runs, newest first, with each step's outcome, counts and failed accounts.");
        sync.MapGet("/runs/{id}", GetAsync).WithName("GetSyncRun").WithSummary("One integrated sync run with each step's outcome, counts and failed accounts.");

        app.MapGroup("/api/relay").WithTags("Integrated sync").AddEndpointFilter(RequireRelayAsync).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .MapGet("/files", FilesAsync).WithName("ListRelayFiles")
            .WithSummary("What the last Credinvest listing saw: every file, whether it was selected, why the others were left out, and each selected file's upload.");
        return app;
    }

    private static async ValueTask<object?> RequireSyncAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await context.HttpContext.RequestServices.GetRequiredService<KnownJobs>().ContainsAsync(SyncKeys.SyncJob)
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The integrated sync is not configured",
                detail: "The silos have neither the Credinvest relay (Credinvest:Host and Dropbox:AppKey) nor Vestr (Vestr:Username) configured, so a sync has nothing to do.");

    private static async ValueTask<object?> RequireRelayAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await context.HttpContext.RequestServices.GetRequiredService<KnownJobs>().ContainsAsync(SyncKeys.RelayJob)
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The Credinvest relay is not configured",
                detail: "Set Credinvest:Host (with its login and Credinvest:HostKeyFingerprint) and Dropbox:AppKey, Dropbox:AppSecret and Dropbox:RefreshToken on every silo.");

    private static async Task<Results<Accepted<SyncStarted>, ValidationProblem>> StartAsync(HttpContext http, IClusterClient client)
    {
        var body = await StartRequestBody.ReadAsync<SyncRunBody>(http) ?? new SyncRunBody();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.DownloadDir is { } folder && SyncKeys.DownloadDirProblem(folder) is { } problem)
        {
            errors["download_dir"] = [problem];
        }

        if (body is { SkipCredinvest: true, SkipVestrFees: true, SkipFeeSnapshots: true })
        {
            errors["skip_credinvest"] = ["Every step is skipped (skip_credinvest, skip_vestr_fees, skip_fee_snapshots): a sync would do nothing."];
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

        var ticket = await client.GetGrain<IIntegratedSyncGrain>(SyncKeys.Daily).Start(new SyncRequest(
            body.SkipCredinvest ?? false, body.SkipVestrFees ?? false, body.SkipFeeSnapshots ?? false, body.DeleteAfterUpload ?? false,
            body.DownloadDir, RequestIdempotency.KeyOf(http)));
        var url = $"/api/sync/runs/{ticket.RunId}";
        return TypedResults.Accepted(url, new SyncStarted(ticket.RunId, ticket.Started, ticket.Status.ToText(), url));
    }

    private static async Task<Results<Ok<IReadOnlyList<SyncRunView>>, ValidationProblem>> ListAsync(
        JobRunStore runs, RelayStore relay, CancellationToken cancellationToken, int limit = 20)
    {
        if (limit is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Must be 1..200, was {limit}."] });
        }

        var views = new List<SyncRunView>();
        foreach (var run in await runs.ListRunsAsync(SyncKeys.SyncJob, null, limit, cancellationToken))
        {
            views.Add(await ViewAsync(run, runs, relay, cancellationToken));
        }

        return TypedResults.Ok<IReadOnlyList<SyncRunView>>(views);
    }

    private static async Task<Results<Ok<SyncRunView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, JobRunStore runs, RelayStore relay, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["A run id, a GUID such as 3f2b8c1e-…, as POST /api/sync/runs answered it."] });
        }

        return await runs.GetRunAsync(runId, cancellationToken) is { Job: SyncKeys.SyncJob } run
            ? TypedResults.Ok(await ViewAsync(run, runs, relay, cancellationToken))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such sync run", detail: $"No integrated sync run has the id {runId}.");
    }

    private static async Task<Ok<RelayFilesView>> FilesAsync(RelayStore relay, CancellationToken cancellationToken)
    {
        var listing = await relay.GetLatestListingAsync(cancellationToken);
        if (listing.Count == 0)
        {
            return TypedResults.Ok(new RelayFilesView(null, null, 0, 0, 0, []));
        }

        var runId = listing[0].RunId;
        var uploads = (await relay.GetUploadsAsync(runId, cancellationToken)).ToDictionary(u => u.Name, StringComparer.Ordinal);
        return TypedResults.Ok(new RelayFilesView(runId, listing[0].ListedAt, listing.Count, listing.Count(f => f.Selected), listing.Count(f => !f.Selected),
            [.. listing.Select(f => RelayFileView.From(f, uploads.GetValueOrDefault(f.Name)))]));
    }

    /// <summary>A sync run with its steps: each from its batch, the run it started (found by its idempotency key) and the relay's record.</summary>
    private static async Task<SyncRunView> ViewAsync(JobRunRecord run, JobRunStore runs, RelayStore relay, CancellationToken cancellationToken)
    {
        var batches = await runs.GetBatchesAsync(run.RunId, cancellationToken);
        var steps = new List<SyncStepView>();
        foreach (var (step, index) in run.Items.Select((s, i) => (s, i)))
        {
            var batch = batches.FirstOrDefault(b => b.ItemOffset == index);
            var skipped = run.Parameters.GetValueOrDefault(SyncKeys.SkipParameter(step)) == "true";
            var job = step switch
            {
                SyncKeys.StepCredinvest => SyncKeys.RelayJob,
                SyncKeys.StepVestrFees => Tributary.Vestr.VestrKeys.JobName,
                _ => null,
            };
            var child = job is null || skipped ? null : await runs.FindByIdempotencyKeyAsync(job, SyncKeys.StepRunKey(run.RunId, step), cancellationToken);
            var counts = child is not null ? JobBatchRecord.SumCounts(await runs.GetBatchesAsync(child.RunId, cancellationToken)) : new JsonObject();
            var own = batch?.Details is { } details ? JsonNode.Parse(details) as JsonObject : null;
            if (child is null && own is not null)
            {
                foreach (var (key, value) in own)
                {
                    if (key is not ("skipped" or "succeeded" or "not_configured" or "reason"))
                    {
                        counts[key] = value?.DeepClone();
                    }
                }
            }

            var failedAccounts = step == SyncKeys.StepCredinvest && child is not null
                ? await relay.FailedAccountsAsync(child.RunId, cancellationToken)
                : [];
            var status = skipped ? "skipped" : batch?.Status switch
            {
                null => RunStatus.IsFinal(run.Status) ? "failed" : "pending",
                JobBatchRecord.Running => "running",
                JobBatchRecord.Succeeded when own?["not_configured"] is not null => "not_configured",
                JobBatchRecord.Succeeded => "succeeded",
                _ => "failed",
            };
            steps.Add(new SyncStepView(step, status, child?.RunId, child?.Status.ToText(), child?.ItemsProcessed ?? batch?.ItemsProcessed ?? 0, counts,
                failedAccounts, batch?.Status == JobBatchRecord.DeadLettered ? batch.Error : null, own?["reason"]?.GetValue<string>()));
        }

        var options = run.Parameters.Where(p => p.Key.StartsWith("skip_", StringComparison.Ordinal) || p.Key is SyncKeys.DeleteAfterUpload or SyncKeys.DownloadDir)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new SyncRunView(run.RunId, run.Status.ToText(), run.Trigger.ToText(), run.ScheduledFor, run.CreatedAt, run.StartedAt, run.FinishedAt,
            options, steps, [.. steps.SelectMany(s => s.FailedAccounts)], run.Error);
    }
}
