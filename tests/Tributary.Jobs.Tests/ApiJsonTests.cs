using System.Text.Json;
using Tributary.Api.Endpoints;
using Tributary.Diagnostics;
using Tributary.Storage.Events;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>
/// The JSON the gateway answers for runs, tickets, dead letters, webhooks, deliveries and probes, byte for byte as
/// clients read it (the literals were written by the gateway before it had views of its own for these), with the
/// serializer settings minimal APIs use.
/// </summary>
public sealed class ApiJsonTests
{
    private static readonly JsonSerializerOptions Options = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;

    private static readonly Guid RunId = Guid.Parse("0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21");
    private static readonly Guid ReplayRunId = Guid.Parse("7f0e8b1a-5c3d-4e2f-8a9b-1c2d3e4f5a6b");
    private static readonly DateTimeOffset At = new(2026, 5, 1, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_and_its_batches_read_as_before()
    {
        var run = new JobRunRecord(
            RunId, "fetch_market_data", RunTrigger.Schedule, RunStatus.PartiallySucceeded, "acc-1", new Dictionary<string, string> { ["from"] = "2026-01-01" },
            At, 42, ["a", "b", "c"], 2, At, At.AddSeconds(1), At.AddSeconds(9), 2, 1, 2, "1 of 2 batches were dead-lettered.", "acc-1");
        IReadOnlyList<JobBatchRecord> batches =
        [
            new(RunId, 0, 0, 2, JobBatchRecord.Succeeded, 2, 1, 1_200, null, At, At.AddSeconds(2)),
            new(RunId, 1, 2, 1, JobBatchRecord.DeadLettered, 0, 3, 40, "HttpRequestException: 503", At, At.AddSeconds(8)),
        ];

        Assert.Equal(
            """{"runId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","job":"fetch_market_data","trigger":"schedule","status":"partially_succeeded","accountId":"acc-1","parameters":{"from":"2026-01-01"},"scheduledFor":"2026-05-01T04:00:00+00:00","replayOf":42,"totalItems":3,"batchSize":2,"createdAt":"2026-05-01T04:00:00+00:00","startedAt":"2026-05-01T04:00:01+00:00","finishedAt":"2026-05-01T04:00:09+00:00","totalBatches":2,"failedBatches":1,"itemsProcessed":2,"error":"1 of 2 batches were dead-lettered.","batches":[{"index":0,"size":2,"status":"succeeded","items":2,"attempts":1,"durationMs":1200,"error":null},{"index":1,"size":1,"status":"dead_lettered","items":0,"attempts":3,"durationMs":40,"error":"HttpRequestException: 503"}],"runKey":"acc-1"}""",
            Json(RunView.From(run, batches)));
        Assert.Equal(
            """[{"runId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","job":"fetch_market_data","trigger":"manual","status":"running","accountId":null,"parameters":{},"scheduledFor":null,"replayOf":null,"totalItems":1,"batchSize":100,"createdAt":"2026-05-01T04:00:00+00:00","startedAt":null,"finishedAt":null,"totalBatches":0,"failedBatches":0,"itemsProcessed":0,"error":null,"batches":null,"runKey":null}]""",
            Json<IReadOnlyList<RunView>>([RunView.From(
                new JobRunRecord(RunId, "fetch_market_data", RunTrigger.Manual, RunStatus.Running, null, new Dictionary<string, string>(), null, null, ["x"], 100, At, null, null, 0, 0, 0, null),
                null)]));
    }

    [Fact]
    public void A_ticket_reads_as_before()
    {
        Assert.Equal(
            """{"runId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","started":false,"status":"partially_succeeded","links":"/api/etl/runs/0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21"}""",
            Json(RunTicketView.From(new RunTicket(RunId, false, RunStatus.PartiallySucceeded))));
    }

    [Fact]
    public void Dead_letters_read_as_before()
    {
        IReadOnlyList<DeadLetterRecord> letters =
        [
            new(7, "fetch_market_data", RunId, 1, ["AAPL", "MSFT"], "acc-1", new Dictionary<string, string> { ["to"] = "2026-02-01" },
                "HttpRequestException: 503", 3, At, At.AddHours(1), ReplayRunId),
            new(8, "fetch_market_data", RunId, 2, ["NVDA"], null, new Dictionary<string, string>(), "PermanentBatchException: bad row", 1, At, null, null),
        ];

        Assert.Equal(
            """[{"deadLetterId":7,"job":"fetch_market_data","runId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","batchIndex":1,"items":["AAPL","MSFT"],"accountId":"acc-1","parameters":{"to":"2026-02-01"},"error":"HttpRequestException: 503","attempts":3,"createdAt":"2026-05-01T04:00:00+00:00","replayedAt":"2026-05-01T05:00:00+00:00","replayRunId":"7f0e8b1a-5c3d-4e2f-8a9b-1c2d3e4f5a6b"},{"deadLetterId":8,"job":"fetch_market_data","runId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","batchIndex":2,"items":["NVDA"],"accountId":null,"parameters":{},"error":"PermanentBatchException: bad row","attempts":1,"createdAt":"2026-05-01T04:00:00+00:00","replayedAt":null,"replayRunId":null}]""",
            Json<IReadOnlyList<DeadLetterView>>(letters.Select(DeadLetterView.From).ToList()));
    }

    [Fact]
    public void Webhooks_and_their_deliveries_read_as_before_with_their_owner()
    {
        IReadOnlyList<WebhookRecord> hooks =
            [new(RunId, "https://example.test/hook", ["job.run.completed"], ["fetch_market_data"], At, 12, true, "ops")];
        IReadOnlyList<DeliveryRecord> deliveries =
        [
            new(RunId, 12, "delivered", 1, At, 200, null, At.AddSeconds(1)),
            new(RunId, 13, "pending", 2, At.AddMinutes(1), 503, "Service Unavailable", null),
        ];

        Assert.Equal(
            """[{"webhookId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","url":"https://example.test/hook","types":["job.run.completed"],"jobs":["fetch_market_data"],"createdAt":"2026-05-01T04:00:00+00:00","cursorSequence":12,"active":true,"owner":"ops"}]""",
            Json<IReadOnlyList<WebhookView>>(hooks.Select(WebhookView.From).ToList()));
        Assert.Equal(
            """[{"webhookId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","sequence":12,"status":"delivered","attempts":1,"nextAttemptAt":"2026-05-01T04:00:00+00:00","lastStatus":200,"lastError":null,"deliveredAt":"2026-05-01T04:00:01+00:00"},{"webhookId":"0b3c6a52-2d4f-4c59-9a43-6b1f3f5e8d21","sequence":13,"status":"pending","attempts":2,"nextAttemptAt":"2026-05-01T04:01:00+00:00","lastStatus":503,"lastError":"Service Unavailable","deliveredAt":null}]""",
            Json<IReadOnlyList<DeliveryView>>(deliveries.Select(DeliveryView.From).ToList()));
    }

    [Fact]
    public void A_probe_reads_as_before()
    {
        Assert.Equal(
            """{"name":"p1","value":"hello","writes":2,"updatedAt":"2026-05-01T04:00:00+00:00","silo":"S127.0.0.1:11111:1"}""",
            Json(ProbeView.From(new ProbeReading("p1", "hello", 2, At, "S127.0.0.1:11111:1"))));
        Assert.Equal(
            """{"name":"p2","value":null,"writes":0,"updatedAt":null,"silo":"S127.0.0.1:11111:1"}""",
            Json(ProbeView.From(new ProbeReading("p2", null, 0, null, "S127.0.0.1:11111:1"))));
    }

    [Fact]
    public void Every_run_status_and_trigger_reads_in_json_as_the_text_the_database_stores()
    {
        foreach (var status in RunStatus.Values)
        {
            using var ticket = JsonDocument.Parse(Json(RunTicketView.From(new RunTicket(RunId, true, status))));
            Assert.Equal(status.ToText(), ticket.RootElement.GetProperty("status").GetString());
        }

        foreach (var trigger in RunTrigger.Values)
        {
            var run = new JobRunRecord(RunId, "j", trigger, RunStatus.Queued, null, new Dictionary<string, string>(), null, null, [], 1, At, null, null, 0, 0, 0, null);
            using var view = JsonDocument.Parse(Json(RunView.From(run, null)));
            Assert.Equal((trigger.ToText(), "queued"), (view.RootElement.GetProperty("trigger").GetString(), view.RootElement.GetProperty("status").GetString()));
        }
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Options);
}
