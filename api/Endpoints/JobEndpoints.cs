using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Errors;
using Tributary.Jobs;
using Tributary.Storage.Jobs;

namespace Tributary.Api.Endpoints;

/// <summary>Jobs, their runs and dead letters. Triggers go through the job's grain; reads come from the run tables.</summary>
public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/etl").WithTags("ETL jobs");
        group.MapGet("/jobs", ListJobsAsync).WithSummary("The jobs the cluster knows, with their batch settings.");
        group.MapPost("/{job}/runs", TriggerAsync).RetriedOnFailover().AcceptsStartBody<RunTriggerBody>()
            .WithSummary("Start a run (or get the running one's id). Optional account_id; from/to (YYYY-MM-DD) for history; in the query or the JSON body.");
        group.MapGet("/runs", ListRunsAsync).WithSummary("Runs, newest first; filter by job and status.");
        group.MapGet("/runs/{id}", GetRunAsync).WithSummary("One run with its batches.");
        group.MapGet("/dead-letters", ListDeadLettersAsync).WithSummary("Batches that exhausted their retries.");
        group.MapPost("/dead-letters/{id}/replay", ReplayOneAsync).AcceptsStartBody<NoParametersBody>()
            .WithSummary("Replay one dead letter as a new run. No parameters: a JSON body, if any, is {}.");
        group.MapPost("/dead-letters/replay", ReplayAllAsync).AcceptsStartBody<ReplayAllBody>()
            .WithSummary("Replay every open dead letter (of one job, or all), one run per job; job in the query or the JSON body.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<JobView>>> ListJobsAsync(IClusterClient client) =>
        TypedResults.Ok<IReadOnlyList<JobView>>((await client.GetGrain<IJobCatalogGrain>(0).List()).Select(JobView.From).ToList());

    private static async Task<Results<Accepted<RunTicketView>, ProblemHttpResult, ValidationProblem>> TriggerAsync(
        string job, IClusterClient client, KnownJobs jobs, HttpContext http, string? account_id = null, string? from = null, string? to = null)
    {
        var body = await StartRequestBody.ReadAsync<RunTriggerBody>(http);
        var errors = RequestIdempotency.Problem(http) ?? new Dictionary<string, string[]>();
        account_id = StartRequestBody.Merge(errors, "account_id", account_id, body?.AccountId);
        from = StartRequestBody.Merge(errors, "from", from, body?.From);
        to = StartRequestBody.Merge(errors, "to", to, body?.To);
        if (account_id is not null && !errors.ContainsKey("account_id") && (account_id.Length is 0 or > 100))
        {
            errors["account_id"] = ["1 to 100 characters when given."];
        }

        var parameters = new Dictionary<string, string>();
        foreach (var (name, value) in new[] { ("from", from), ("to", to) })
        {
            if (value is null || errors.ContainsKey(name))
            {
                continue;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                parameters[name] = value;
            }
            else
            {
                errors[name] = [$"A date as YYYY-MM-DD; was '{value}'."];
            }
        }

        if (errors.Count == 0 && from is not null && to is not null && string.CompareOrdinal(from, to) > 0)
        {
            errors["from"] = [$"Must not be after to ({to}); was {from}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await jobs.ContainsAsync(job))
        {
            // Answered here: a grain call per unknown name would activate a grain and count as an exception.
            return KnownJobs.NotFound(job);
        }

        var ticket = await client.GetGrain<IJobGrain>(JobKey.For(job)).Trigger(
            new RunRequest(RunTrigger.Manual, account_id, parameters, IdempotencyKey: RequestIdempotency.KeyOf(http)));
        return ticket.NotFound is { } why
            ? TypedResults.Problem(statusCode: 404, title: "Unknown job", detail: why)
            : TypedResults.Accepted($"/api/etl/runs/{ticket.RunId}", RunTicketView.From(ticket));
    }

    private static async Task<Results<Ok<IReadOnlyList<RunView>>, ValidationProblem>> ListRunsAsync(
        JobRunStore runs, CancellationToken cancellationToken, string? job = null, string? status = null, string? limit = null)
    {
        var errors = new Dictionary<string, string[]>();
        RunStatus? wanted = null;
        if (status is not null)
        {
            // The API's edge: the filter is a status's text, exactly as runs show it.
            if (RunStatus.TryFromText(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = [$"One of {string.Join(", ", RunStatus.Values.Select(s => s.ToText()))}; was '{status}'."];
            }
        }

        var take = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 500))
        {
            errors["limit"] = [$"A whole number from 1 to 500; was '{limit}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await runs.ListRunsAsync(job, wanted, take, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<RunView>>(rows.Select(r => RunView.From(r, null)).ToList());
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult, ValidationProblem>> GetRunAsync(string id, JobRunStore runs, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A run id is a UUID; was '{id}'."] });
        }

        var run = await runs.GetRunAsync(runId, cancellationToken);
        if (run is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown run", detail: $"There is no run {runId}.");
        }

        return TypedResults.Ok(RunView.From(run, await runs.GetBatchesAsync(runId, cancellationToken)));
    }

    private static async Task<Ok<IReadOnlyList<DeadLetterView>>> ListDeadLettersAsync(JobRunStore runs, CancellationToken cancellationToken, string? job = null, bool include_replayed = false) =>
        TypedResults.Ok<IReadOnlyList<DeadLetterView>>((await runs.ListDeadLettersAsync(job, include_replayed, 1_000, cancellationToken)).Select(DeadLetterView.From).ToList());

    private static async Task<Results<Accepted<RunTicketView>, ProblemHttpResult, ValidationProblem>> ReplayOneAsync(
        string id, JobRunStore runs, IClusterClient client, HttpContext http, CancellationToken cancellationToken)
    {
        await StartRequestBody.ReadAsync<NoParametersBody>(http);
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var deadLetterId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"A dead letter id is a positive whole number; was '{id}'."] });
        }

        var letter = await runs.GetDeadLetterAsync(deadLetterId, cancellationToken);
        if (letter is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Unknown dead letter", detail: $"There is no dead letter {deadLetterId}.");
        }

        if (letter.ReplayedAt is not null)
        {
            return TypedResults.Problem(statusCode: 409, title: "Already replayed", detail: $"Dead letter {deadLetterId} was replayed by run {letter.ReplayRunId}.");
        }

        var ticket = await ReplayAsync(client, letter.Job, [deadLetterId]);
        if (ticket.NotFound is { } why)
        {
            // The letter's job is no longer registered (a deployment removed it): nothing can replay it.
            return TypedResults.Problem(statusCode: 409, title: "Job gone", detail: why);
        }

        return ticket.Started
            ? TypedResults.Accepted($"/api/etl/runs/{ticket.RunId}", RunTicketView.From(ticket))
            : TypedResults.Problem(statusCode: 409, title: "Job busy", detail: $"Job '{letter.Job}' is running run {ticket.RunId}; replay when it has finished.");
    }

    private static async Task<Results<Ok<IReadOnlyList<ReplayView>>, ValidationProblem>> ReplayAllAsync(
        JobRunStore runs, IClusterClient client, HttpContext http, CancellationToken cancellationToken, string? job = null)
    {
        var body = await StartRequestBody.ReadAsync<ReplayAllBody>(http);
        var errors = new Dictionary<string, string[]>();
        job = StartRequestBody.Merge(errors, "job", job, body?.Job);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var open = await runs.ListDeadLettersAsync(job, includeReplayed: false, 10_000, cancellationToken);
        var replays = new List<ReplayView>();
        foreach (var group in open.GroupBy(l => l.Job))
        {
            var ids = group.Select(l => l.DeadLetterId).ToList();
            var ticket = await ReplayAsync(client, group.Key, ids);
            replays.Add(new ReplayView(group.Key, ids, ticket.RunId, ticket.NotFound is not null ? "unknown_job" : ticket.Started ? "started" : "busy"));
        }

        return TypedResults.Ok<IReadOnlyList<ReplayView>>(replays);
    }

    private static Task<RunTicket> ReplayAsync(IClusterClient client, string job, IReadOnlyList<long> ids) =>
        client.GetGrain<IJobGrain>(JobKey.For(job)).Trigger(new RunRequest(RunTrigger.Replay, DeadLetterIds: ids));
}

/// <summary>A job the cluster knows, with its effective batch settings.</summary>
public sealed record JobView(string Name, string ItemsName, int BatchSize, int MaxParallelBatches, int MaxAttempts, bool DynamicBatchSizing, string? Upstream)
{
    public static JobView From(JobInfo job) =>
        new(job.Name, job.ItemsName, job.BatchSize, job.MaxParallelBatches, job.MaxAttempts, job.DynamicBatchSizing, job.Upstream);
}

/// <summary>The answer to a trigger.</summary>
public sealed record RunTicketView(Guid RunId, bool Started, [property: JsonConverter(typeof(SnakeCaseEnumConverter<RunStatus>))] RunStatus Status, string Links)
{
    public static RunTicketView From(RunTicket ticket) => new(ticket.RunId, ticket.Started, ticket.Status, $"/api/etl/runs/{ticket.RunId}");
}

/// <summary>A run as the API shows it; batches only on the single-run route.</summary>
public sealed record RunView(
    Guid RunId, string Job, [property: JsonConverter(typeof(SnakeCaseEnumConverter<RunTrigger>))] RunTrigger Trigger,
    [property: JsonConverter(typeof(SnakeCaseEnumConverter<RunStatus>))] RunStatus Status, string? AccountId, IReadOnlyDictionary<string, string> Parameters,
    DateTimeOffset? ScheduledFor, long? ReplayOf, int TotalItems, int BatchSize, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int TotalBatches, int FailedBatches, int ItemsProcessed, string? Error, IReadOnlyList<BatchView>? Batches,
    string? RunKey)
{
    public static RunView From(JobRunRecord r, IReadOnlyList<JobBatchRecord>? batches) => new(
        r.RunId, r.Job, r.Trigger, r.Status, r.AccountId, r.Parameters, r.ScheduledFor, r.ReplayOf, r.Items.Count, r.BatchSize,
        r.CreatedAt, r.StartedAt, r.FinishedAt, r.TotalBatches, r.FailedBatches, r.ItemsProcessed, r.Error,
        batches?.Select(b => new BatchView(b.BatchIndex, b.ItemCount, b.Status, b.ItemsProcessed, b.Attempts, b.DurationMs, b.Error)).ToList(),
        r.RunKey);
}

/// <summary>One batch of a run.</summary>
public sealed record BatchView(int Index, int Size, string Status, int Items, int Attempts, int? DurationMs, string? Error);

/// <summary>What a replay-all did for one job.</summary>
public sealed record ReplayView(string Job, IReadOnlyList<long> DeadLetterIds, Guid RunId, string Outcome);
