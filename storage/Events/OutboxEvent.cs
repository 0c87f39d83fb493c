using System.Text.Json.Nodes;

namespace Tributary.Storage.Events;

/// <summary>A CloudEvents 1.0 event about to be written to the outbox.</summary>
/// <param name="Type">Reverse-DNS event type, e.g. <c>tributary.job.run.completed</c>.</param>
/// <param name="Source">URI reference of the producer, e.g. <c>/jobs/fetch_market_data</c>.</param>
/// <param name="Subject">What the event is about, e.g. the run id.</param>
/// <param name="Job">The job it belongs to, for filtering streams and webhooks.</param>
public sealed record OutboxEvent(string Type, string Source, string? Subject, string? Job, DateTimeOffset Time, JsonObject Data)
{
    public Guid Id { get; init; } = Guid.NewGuid();
}

/// <summary>An event as stored: its stream position and the structured-mode CloudEvent JSON.</summary>
public sealed record StoredEvent(long Sequence, Guid Id, string Type, string? Job, DateTimeOffset Time, string Json);

/// <summary>Event types the runtime emits.</summary>
public static class EventTypes
{
    public const string BatchCompleted = "tributary.job.batch.completed";
    public const string BatchDeadLettered = "tributary.job.batch.dead_lettered";
    public const string RunCompleted = "tributary.job.run.completed";
}
