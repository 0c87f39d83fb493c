using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Api.Errors;
using Tributary.Scheduling;

namespace Tributary.Api.Endpoints;

/// <summary>
/// Job schedules: list, read, list the next runs, change (cron, time zone, misfire policy, bound, enabled),
/// pause, resume and trigger now. Each job's schedule grain validates changes, so a bad cron is a 400 that says why.
/// </summary>
public static partial class ScheduleEndpoints
{
    private const string JobNameRule = "1 to 100 characters from A-Z, a-z, 0-9, '.', '_' and '-'.";

    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schedules").WithTags("Schedules");
        group.MapGet("/", ListAsync).WithName("ListSchedules")
            .WithSummary("Every job schedule: cron, time zone, misfire policy, enabled, next due, last outcome.");
        group.MapGet("/{job}", GetAsync).WithName("GetSchedule").WithSummary("One job's schedule.");
        group.MapGet("/{job}/occurrences", OccurrencesAsync).WithName("ListScheduleOccurrences")
            .WithSummary($"The next runs after now (count 1..{ScheduleLimits.MaxOccurrences}, default {ScheduleLimits.DefaultOccurrences}) in UTC "
                + "and in the schedule's zone, marked when a DST gap moved one or a DST overlap chose one of two instances.");
        group.MapPut("/{job}", ChangeAsync).WithName("ChangeSchedule")
            .WithSummary("Create or change a job's schedule; fields left out keep their value. A new schedule needs a cron.");
        group.MapPost("/{job}/reset", ResetAsync).WithName("ResetSchedule")
            .WithSummary("Return the schedule to its configured default (Jobs:{job}:Schedule or its domain's) and follow configuration again.");
        group.MapPost("/{job}/pause", PauseAsync).WithName("PauseSchedule").WithSummary("Stop triggering the job (pending occurrences are kept).");
        group.MapPost("/{job}/resume", ResumeAsync).WithName("ResumeSchedule")
            .WithSummary("Trigger again from now on; occurrences that fell while paused are not run.");
        group.MapPost("/{job}/trigger", TriggerAsync).WithName("TriggerScheduledJob").RetriedOnFailover()
            .AcceptsStartBody<NoParametersBody>()
            .WithSummary("Start a run now (or get the running run's id); 202 with the run id. No parameters: a JSON body, if any, is {}.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<ScheduleView>>> ListAsync(IClusterClient client)
    {
        var jobs = await client.GetGrain<IScheduleDirectoryGrain>(IScheduleDirectoryGrain.Key).List();
        var schedules = await Task.WhenAll(jobs.Select(job => Schedule(client, job).Get()));
        return TypedResults.Ok<IReadOnlyList<ScheduleView>>(schedules.Where(s => s.Configured).Select(ScheduleView.From).ToList());
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> GetAsync(string job, IClusterClient client, KnownJobs jobs)
    {
        if (JobErrors(job) is { } invalid)
        {
            return invalid;
        }

        if (!await jobs.ContainsAsync(job))
        {
            return NotFound(ScheduleNotFoundException.UnknownJob(job));
        }

        var schedule = await Schedule(client, job).Get();
        return schedule.Configured ? TypedResults.Ok(ScheduleView.From(schedule)) : NotFound(ScheduleNotFoundException.NoSchedule(job));
    }

    /// <remarks><paramref name="count"/> is read as text so "abc" gets the same sentence as 0 or 101.</remarks>
    private static async Task<Results<Ok<ScheduleOccurrencesView>, ProblemHttpResult, ValidationProblem>> OccurrencesAsync(
        string job, IClusterClient client, KnownJobs jobs, string? count = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!JobName().IsMatch(job))
        {
            errors["job"] = [JobNameRule];
        }

        var take = ScheduleLimits.DefaultOccurrences;
        if (count is not null
            && (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > ScheduleLimits.MaxOccurrences))
        {
            errors["count"] = [$"A whole number from 1 to {ScheduleLimits.MaxOccurrences}; was '{count}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await jobs.ContainsAsync(job))
        {
            return NotFound(ScheduleNotFoundException.UnknownJob(job));
        }

        var occurrences = await Schedule(client, job).Occurrences(take);
        return occurrences.NotFound is { } why ? NotFound(why) : TypedResults.Ok(ScheduleOccurrencesView.From(occurrences));
    }

    /// <remarks>
    /// The misfire policy's text is read here, the API's edge; the grain validates the rest against the stored schedule.
    /// When the text is bad the grain is only asked what else is wrong, so one 400 names every bad field, as it did when
    /// the grain read the text.
    /// </remarks>
    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        string job, ScheduleChangeBody body, IClusterClient client, KnownJobs jobs)
    {
        if (JobErrors(job) is { } invalid)
        {
            return invalid;
        }

        if (!await jobs.ContainsAsync(job))
        {
            return NotFound(ScheduleNotFoundException.UnknownJob(job));
        }

        return await ChangeScheduleAsync(Schedule(client, job), body);
    }

    /// <summary>
    /// Applies a change to one schedule grain (a job's, or a connection's recurring import): every bad field in one 400,
    /// {} refused as changing nothing.
    /// </summary>
    internal static async Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ChangeScheduleAsync(IScheduleGrain schedule, ScheduleChangeBody body)
    {
        if (body is { Cron: null, TimeZone: null, Misfire: null, MaxCatchUp: null, Enabled: null })
        {
            // {} used to answer 200 and mark the schedule as changed by the API, so it stopped following its default.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Nothing to change: give at least one of cron, timeZone, misfire, maxCatchUp or enabled."] },
                title: "The schedule was not changed.");
        }

        MisfirePolicy? misfire = null;
        string? misfireProblem = null;
        if (body.Misfire is not null)
        {
            misfire = MisfirePolicy.TryFromText(body.Misfire, out var policy, out misfireProblem) ? policy : null;
        }

        var change = new ScheduleChange(body.Cron, body.TimeZone, misfire, body.MaxCatchUp, body.Enabled);
        try
        {
            if (misfireProblem is not null)
            {
                throw InvalidScheduleException.With(await schedule.Check(change), "misfire", misfireProblem);
            }

            var changed = await schedule.Configure(change);
            return changed.NotFound is { } why ? NotFound(why) : TypedResults.Ok(ScheduleView.From(changed));
        }
        catch (InvalidScheduleException exception)
        {
            return TypedResults.ValidationProblem(exception.Errors, detail: exception.Message, title: "The schedule was not changed.");
        }
    }

    private static Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ResetAsync(string job, IClusterClient client, KnownJobs jobs) =>
        ChangeStateAsync(job, grain => grain.ResetToConfigured(), client, jobs);

    private static Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> PauseAsync(string job, IClusterClient client, KnownJobs jobs) =>
        ChangeStateAsync(job, grain => grain.Pause(), client, jobs);

    private static Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ResumeAsync(string job, IClusterClient client, KnownJobs jobs) =>
        ChangeStateAsync(job, grain => grain.Resume(), client, jobs);

    private static async Task<Results<Accepted<RunTicketView>, ProblemHttpResult, ValidationProblem>> TriggerAsync(string job, IClusterClient client, KnownJobs jobs, HttpContext http)
    {
        await StartRequestBody.ReadAsync<NoParametersBody>(http);
        if (JobErrors(job) is { } invalid)
        {
            return invalid;
        }

        if (!await jobs.ContainsAsync(job))
        {
            return NotFound(ScheduleNotFoundException.UnknownJob(job));
        }

        if (RequestIdempotency.Problem(http) is { } badKey)
        {
            return TypedResults.ValidationProblem(badKey);
        }

        var ticket = await Schedule(client, job).TriggerNow(RequestIdempotency.KeyOf(http));
        return ticket.NotFound is { } why ? NotFound(why) : TypedResults.Accepted($"/api/etl/runs/{ticket.RunId}", RunTicketView.From(ticket));
    }

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult, ValidationProblem>> ChangeStateAsync(
        string job, Func<IScheduleGrain, Task<ScheduleSnapshot>> change, IClusterClient client, KnownJobs jobs)
    {
        if (JobErrors(job) is { } invalid)
        {
            return invalid;
        }

        if (!await jobs.ContainsAsync(job))
        {
            return NotFound(ScheduleNotFoundException.UnknownJob(job));
        }

        var changed = await change(Schedule(client, job));
        return changed.NotFound is { } why ? NotFound(why) : TypedResults.Ok(ScheduleView.From(changed));
    }

    private static IScheduleGrain Schedule(IClusterClient client, string job) => client.GetGrain<IScheduleGrain>(ScheduleKey.For(job));

    private static ProblemHttpResult NotFound(ScheduleNotFoundException exception) => NotFound(exception.Message);

    private static ProblemHttpResult NotFound(string why) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such schedule", detail: why);

    private static ValidationProblem? JobErrors(string job) =>
        JobName().IsMatch(job)
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["job"] = [JobNameRule] });

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex JobName();
}
