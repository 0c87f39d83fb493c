using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>
/// The job runtime's meter and activity source (<c>Tributary.Jobs</c>): runs started and finished by status, batches by
/// outcome, retries, dead letters, the rate limiter's wait, items processed and a batch's throughput, and an activity
/// per batch. Exported by the service defaults (Prometheus on each silo's health port, OTLP when configured).
/// </summary>
public static class JobsTelemetry
{
    public const string Name = "Tributary.Jobs";

    public static readonly ActivitySource Activities = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> RunsStarted = Meter.CreateCounter<long>("tributary.jobs.runs.started", "{run}", "Runs started, by job and trigger.");
    private static readonly Counter<long> RunsFinished = Meter.CreateCounter<long>("tributary.jobs.runs.finished", "{run}", "Runs that reached a final status, by job and status.");
    private static readonly Counter<long> Batches = Meter.CreateCounter<long>("tributary.jobs.batches", "{batch}", "Batches ended, by job and outcome (succeeded, dead_lettered).");
    private static readonly Counter<long> Retries = Meter.CreateCounter<long>("tributary.jobs.batch.retries", "{retry}", "Batch attempts retried, by job.");
    private static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("tributary.jobs.dead_letters", "{batch}", "Batches dead-lettered, by job.");
    private static readonly Counter<long> Items = Meter.CreateCounter<long>("tributary.jobs.items.processed", "{item}", "Items committed by batches, by job.");
    private static readonly Histogram<double> Throughput = Meter.CreateHistogram<double>("tributary.jobs.batch.throughput", "{item}/s", "Items per second of each committed batch, by job.");
    private static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram<double>("tributary.jobs.rate_limiter.wait", "s", "Time a batch waited for its upstream's rate limiter, by upstream.");

    public static void RunStarted(string job, RunTrigger trigger) => RunsStarted.Add(1, Tag("job", job), Tag("trigger", trigger.ToText()));

    public static void RunFinished(string job, RunStatus status) => RunsFinished.Add(1, Tag("job", job), Tag("status", status.ToText()));

    public static void BatchCommitted(string job, int items, TimeSpan elapsed)
    {
        Batches.Add(1, Tag("job", job), Tag("outcome", "succeeded"));
        Items.Add(items, Tag("job", job));
        if (elapsed > TimeSpan.Zero)
        {
            Throughput.Record(items / elapsed.TotalSeconds, Tag("job", job));
        }
    }

    public static void BatchDeadLettered(string job)
    {
        Batches.Add(1, Tag("job", job), Tag("outcome", "dead_lettered"));
        DeadLetters.Add(1, Tag("job", job));
    }

    public static void BatchRetried(string job) => Retries.Add(1, Tag("job", job));

    public static void RateLimiterWaited(string upstream, TimeSpan wait) => RateLimitWait.Record(wait.TotalSeconds, Tag("upstream", upstream));

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
