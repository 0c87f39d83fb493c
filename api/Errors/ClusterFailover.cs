using Microsoft.Extensions.Options;
namespace Tributary.Api.Errors;

/// <summary>
/// Keeps a silo's death (or our database's outage) from reaching callers as a 500. A request that is safe to repeat (a
/// GET, or a route marked <see cref="RetryOnFailover"/>) is tried again, against whichever silo answers now, until
/// <see cref="FailoverOptions.Budget"/> runs out; then, and for every other request at once, the answer is 503
/// problem+json with <c>Retry-After</c>, saying what happened.
/// </summary>
public sealed partial class ClusterFailover(RequestDelegate next, IProblemDetailsService problems, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<FailoverOptions> options, ILogger<ClusterFailover> logger)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    public async Task InvokeAsync(HttpContext context)
    {
        var retryable = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || context.GetEndpoint()?.Metadata.GetMetadata<RetryOnFailover>() is not null;
        if (retryable)
        {
            // The body is read again on a retry.
            context.Request.EnableBuffering();
        }

        var deadline = time.GetUtcNow() + options.Value.Budget;
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception exception) when (ClusterFaults.IsTransient(exception) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                if (!retryable || time.GetUtcNow() + pause > deadline)
                {
                    LogUnavailable(logger, context.Request.Method, context.Request.Path, attempt, exception);
                    await WriteUnavailableAsync(context, exception);
                    return;
                }

                LogRetrying(logger, context.Request.Method, context.Request.Path, attempt, pause);
                await Task.Delay(pause, time, context.RequestAborted);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
                if (context.Request.Body.CanSeek)
                {
                    context.Request.Body.Position = 0;
                }
            }
        }
    }

    private async Task WriteUnavailableAsync(HttpContext context, Exception exception)
    {
        var database = ClusterFaults.IsDatabaseOutage(exception);
        var retryAfter = (int)Math.Ceiling(options.Value.RetryAfter.TotalSeconds);
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = database ? "The database is unreachable." : "The cluster is failing over.",
            Detail = database
                ? $"Our PostgreSQL could not be reached; nothing was changed by this request unless it says otherwise. Try again in {retryAfter} s."
                : $"A silo stopped answering while this request ran and no other silo has taken its work over yet. Try again in {retryAfter} s"
                  + (HttpMethods.IsGet(context.Request.Method) ? "." : $"; repeat a POST with the same {RequestIdempotency.Header} header to be sure it is done once."),
        };
        problem.Extensions["retryAfterSeconds"] = retryAfter;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path}: attempt {Attempt} met a failover or a database outage; again in {Pause}")]
    private static partial void LogRetrying(ILogger logger, string method, PathString path, int attempt, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: answered 503 after {Attempt} attempt(s)")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, int attempt, Exception exception);
}

/// <summary>How long the gateway keeps retrying through a failover. Section <c>Gateway:Failover</c>.</summary>
public sealed class FailoverOptions
{
    public const string Section = "Gateway:Failover";

    /// <summary>Time to keep retrying a safe request before answering 503.</summary>
    /// <remarks>Longer than <see cref="CallTimeout"/> plus the time the cluster takes to declare a killed silo dead.</remarks>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long the gateway waits for a grain call's answer (Orleans' <c>ResponseTimeout</c>, 30 s by default). A call
    /// whose silo was killed under it gets no answer at all, so this is how soon it can be tried again elsewhere; grain
    /// calls never do long work inside the call, so seconds are plenty.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The <c>Retry-After</c> of a 503.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks <see cref="FailoverOptions"/> at start: every problem a sentence naming the setting.</summary>
public sealed class FailoverOptionsValidator : IValidateOptions<FailoverOptions>
{
    public ValidateOptionsResult Validate(string? name, FailoverOptions options)
    {
        var problems = new List<string>();
        foreach (var (setting, value, max) in new[]
        {
            (nameof(FailoverOptions.Budget), options.Budget, TimeSpan.FromMinutes(10)),
            (nameof(FailoverOptions.CallTimeout), options.CallTimeout, TimeSpan.FromMinutes(5)),
            (nameof(FailoverOptions.RetryAfter), options.RetryAfter, TimeSpan.FromHours(1)),
        })
        {
            if (value <= TimeSpan.Zero || value > max)
            {
                problems.Add($"{FailoverOptions.Section}:{setting} must be more than 00:00:00 and at most {max:c}, was {value:c}.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
