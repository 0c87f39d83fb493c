using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Tributary.Api.Errors;

/// <summary>
/// How many requests the gateway takes, per API key and per client address. Section <c>Gateway:RateLimiting</c>.
/// </summary>
/// <remarks>
/// Each is a token bucket: <c>Burst</c> requests at once, refilled at <c>PerSecond</c>. A request is counted against
/// its address whether or not it carries a valid key (so guessing keys is slowed too), and against its key once the
/// key is known. The probes (<c>/ping</c>, <c>/health</c>, <c>/alive</c>) are never limited.
/// </remarks>
public sealed class RequestRateLimitOptions
{
    public const string Section = "Gateway:RateLimiting";

    /// <summary>False turns the limits off (a gateway behind a proxy that limits already).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Per API key (per its holder's name).</summary>
    public TokenBucket PerKey { get; set; } = new() { Burst = 200, PerSecond = 50 };

    /// <summary>Per client IP address.</summary>
    public TokenBucket PerAddress { get; set; } = new() { Burst = 400, PerSecond = 100 };

    /// <summary>A bucket's size and refill rate.</summary>
    public sealed class TokenBucket
    {
        /// <summary>Requests taken at once before the rate applies.</summary>
        public int Burst { get; set; }

        /// <summary>Requests a second, sustained.</summary>
        public double PerSecond { get; set; }
    }
}

/// <summary>Checks <see cref="RequestRateLimitOptions"/> at start: every problem a sentence naming the setting.</summary>
public sealed class RequestRateLimitOptionsValidator : IValidateOptions<RequestRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestRateLimitOptions options)
    {
        var problems = new List<string>();
        foreach (var (setting, bucket) in new[] { (nameof(options.PerKey), options.PerKey), (nameof(options.PerAddress), options.PerAddress) })
        {
            var at = $"{RequestRateLimitOptions.Section}:{setting}";
            if (bucket.Burst is < 1 or > 1_000_000)
            {
                problems.Add($"{at}:Burst must be 1..1000000, was {bucket.Burst}.");
            }

            if (!double.IsFinite(bucket.PerSecond) || bucket.PerSecond is < 0.001 or > 1_000_000)
            {
                problems.Add($"{at}:PerSecond must be 0.001..1000000, was {bucket.PerSecond.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// ASP.NET Core's rate limiter over the whole API: one bucket per client address chained with one per API key; a
/// refused request is a 429 problem+json with <c>Retry-After</c>.
/// </summary>
public static class RequestRateLimits
{
    /// <summary>Paths never limited: orchestrators' and load balancers' probes.</summary>
    private static readonly PathString[] Exempt = ["/ping", "/health", "/alive"];

    public static IServiceCollection AddRequestRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestRateLimitOptions>().Bind(configuration.GetSection(RequestRateLimitOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RequestRateLimitOptions>, RequestRateLimitOptionsValidator>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RequestRateLimitOptions>>((limiter, settings) =>
        {
            var limits = settings.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    !limits.Enabled || IsExempt(context)
                        ? RateLimitPartition.GetNoLimiter(string.Empty)
                        : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Bucket(limits.PerAddress))),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    !limits.Enabled || IsExempt(context) || context.User.FindFirstValue(ClaimTypes.Name) is not { } holder
                        ? RateLimitPartition.GetNoLimiter(string.Empty)
                        : RateLimitPartition.GetTokenBucketLimiter(holder, _ => Bucket(limits.PerKey))));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static bool IsExempt(HttpContext context) =>
        Exempt.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase));

    /// <summary>A bucket that refills one token every 1/PerSecond seconds and queues nothing: over the rate is refused at once.</summary>
    private static TokenBucketRateLimiterOptions Bucket(RequestRateLimitOptions.TokenBucket bucket) => new()
    {
        TokenLimit = bucket.Burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1 / bucket.PerSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var who = context.User.Identity?.IsAuthenticated == true ? "this API key" : "this address";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"The gateway takes a limited number of requests from {who} ({RequestRateLimitOptions.Section}); retry after {seconds} s.",
                Type = "https://tools.ietf.org/html/rfc6585#section-4",
            },
        });
    }
}
