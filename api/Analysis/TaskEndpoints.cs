using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Analysis;
using Tributary.Api.Auth;
using Tributary.Api.Errors;
using Tributary.Api.TrueLayer;
using Tributary.Storage.Analysis;

namespace Tributary.Api.Analysis;

/// <summary>
/// The analysis task API on the seed's paths: submit a portfolio, follow its sections, read the result, list one's
/// tasks. A task belongs to the key's user (another user's is a 404; an admin key sees all). The platform password is
/// exchanged for a token inside the submit and kept nowhere.
/// </summary>
public static class TaskEndpoints
{
    public const int MaxItems = 10_000;

    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Analysis tasks");
        group.MapPost("/task/submit", SubmitAsync).WithName("SubmitTask").RetriedOnFailover().AcceptsStartBody<TaskSubmitBody>()
            .WithSummary("Submit a portfolio for analysis: {username?, password?, data: [items]}. 202 {task_id, status}; an Idempotency-Key replay answers the first task.");
        group.MapGet("/task/{task_id}/status", StatusAsync).WithName("GetTaskStatus").WithSummary("A task's status, per-section progress and timings.");
        group.MapGet("/task/{task_id}/result", ResultAsync).WithName("GetTaskResult").WithSummary("A finished task's analysis per section; 409 with the status while it runs.");
        group.MapGet("/tasks", ListAsync).WithName("ListTasks").WithSummary("The caller's tasks, newest first; limit (1..100, 20) and status filter.");
        return app;
    }

    private static async Task<Results<Accepted<TaskSubmittedView>, ValidationProblem, ProblemHttpResult>> SubmitAsync(HttpContext http, IClusterClient client)
    {
        var body = await StartRequestBody.ReadAsync<TaskSubmitBody>(http) ?? new TaskSubmitBody();
        var errors = RequestIdempotency.Problem(http) is { } badKey ? new Dictionary<string, string[]>(badKey) : new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Data is not { } data || data.ValueKind == JsonValueKind.Null)
        {
            errors["data"] = ["Required: the portfolio items, a JSON array of objects."];
        }
        else if (data.ValueKind != JsonValueKind.Array)
        {
            errors["data"] = [$"A JSON array of objects, was {data.ValueKind.ToString().ToLowerInvariant()}."];
        }
        else if (data.GetArrayLength() is 0 or > MaxItems)
        {
            errors["data"] = [$"1..{MaxItems} items, was {data.GetArrayLength()}."];
        }
        else if (data.EnumerateArray().Select((item, i) => (item, i)).FirstOrDefault(x => x.item.ValueKind != JsonValueKind.Object) is { item.ValueKind: not JsonValueKind.Undefined } bad)
        {
            errors["data"] = [$"Item {bad.i} is {bad.item.ValueKind.ToString().ToLowerInvariant()}, not an object."];
        }

        if (body.Username is { Length: > 200 })
        {
            errors["username"] = ["At most 200 characters."];
        }

        if (body.Password is { Length: > 500 })
        {
            errors["password"] = ["At most 500 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var caller = ApiCaller.From(http.User);
        _ = RequestIdempotency.KeyOf(http, out var firstUse);
        var taskId = IdempotentIds.For(http, "task", caller.User);
        var submitted = await client.GetGrain<IAnalysisTaskGrain>(taskId)
            .Submit(new TaskSubmission(caller.User, body.Data!.Value.GetRawText(), body.Username, body.Password, New: firstUse));
        if (submitted.Unauthorized is { } refused)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The analysis platform refused the login", detail: refused);
        }

        if (submitted.Invalid is { } invalid)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [submitted.InvalidField!] = [invalid] });
        }

        if (submitted.Owner != caller.User)
        {
            // Ids are made per user, so this is another user's task only if someone sent its id's key on purpose.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key in use", detail: "Send another Idempotency-Key.");
        }

        return TypedResults.Accepted($"/task/{taskId}/status", new TaskSubmittedView(taskId, submitted.Status));
    }

    private static async Task<Results<Ok<TaskStatusView>, ValidationProblem, ProblemHttpResult>> StatusAsync(
        string task_id, HttpContext http, AnalysisTaskStore store, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindAsync(task_id, http, store, cancellationToken);
        if (task is null)
        {
            return problem is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem!;
        }

        return TypedResults.Ok(TaskStatusView.From(task, await store.GetSectionsAsync(task.TaskId, cancellationToken)));
    }

    private static async Task<Results<Ok<TaskResultView>, ValidationProblem, ProblemHttpResult>> ResultAsync(
        string task_id, HttpContext http, AnalysisTaskStore store, CancellationToken cancellationToken)
    {
        var (task, problem) = await FindAsync(task_id, http, store, cancellationToken);
        if (task is null)
        {
            return problem is ValidationProblem invalid ? invalid : (ProblemHttpResult)problem!;
        }

        if (!TaskStatuses.IsFinal(task.Status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The task is not done",
                detail: $"Task {task.TaskId} is {task.Status}; its result is ready when it is completed, completed_with_errors or failed.",
                extensions: new Dictionary<string, object?> { ["status"] = task.Status });
        }

        return TypedResults.Ok(TaskResultView.From(task, await store.GetSectionsAsync(task.TaskId, cancellationToken)));
    }

    private static async Task<Results<Ok<IReadOnlyList<TaskListItemView>>, ValidationProblem>> ListAsync(
        HttpContext http, AnalysisTaskStore store, CancellationToken cancellationToken, string? limit = null, string? status = null)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var take = 20;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > 100))
        {
            errors["limit"] = [$"A whole number from 1 to 100; was '{Shown(limit)}'."];
        }

        if (status is not null && !TaskStatuses.All.Contains(status))
        {
            errors["status"] = [$"One of {string.Join(", ", TaskStatuses.All)}; was '{Shown(status)}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var tasks = await store.ListAsync(ApiCaller.From(http.User).OwnerFilter, status, take, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TaskListItemView>>([.. tasks.Select(TaskListItemView.From)]);
    }

    /// <summary>The caller's task, or the problem to answer: 400 for an id that is not one, 404 for no task or another user's.</summary>
    private static async Task<(AnalysisTaskRecord? Task, IResult? Problem)> FindAsync(string id, HttpContext http, AnalysisTaskStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var taskId))
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["task_id"] = [$"A task id as POST /task/submit answered it (a GUID); was '{Shown(id)}'."] }));
        }

        var caller = ApiCaller.From(http.User);
        return await store.GetAsync(taskId, cancellationToken) is { } task && (caller.IsAdmin || task.Owner == caller.User)
            ? (task, null)
            : (null, TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such task", detail: $"There is no task {taskId}."));
    }

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
