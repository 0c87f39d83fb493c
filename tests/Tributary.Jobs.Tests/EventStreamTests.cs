using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Tributary.Jobs.Tests;

/// <summary>The gateway's SSE stream and ETL routes in front of a real cluster running test jobs.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task A_client_connected_before_a_run_sees_each_event_once_and_resumes_without_gaps()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("sse", o => o.WithTestJobs().WithGateway());
        using var client = cluster.Gateway!.CreateClient(GatewayHost.OperatorKey);
        using var stream = await SseReader.OpenAsync(client, "/api/events?job=test_counting");

        var trigger = await client.PostAsync("/api/etl/test_counting/runs", null);
        Assert.Equal(HttpStatusCode.Accepted, trigger.StatusCode);
        var runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        var events = await stream.ReadUntilAsync(e => e.Type == "tributary.job.run.completed");

        Assert.Equal(5, events.Count(e => e.Type == "tributary.job.batch.completed"));
        Assert.Single(events, e => e.Type == "tributary.job.run.completed");
        Assert.Equal(6, events.Count);
        Assert.All(events, e => Assert.Equal(runId, e.Data.GetProperty("subject").GetString()));
        Assert.Equal(events.Select(e => e.Id).Order().ToList(), events.Select(e => e.Id).ToList());
        Assert.Equal(6, events.Select(e => e.Id).Distinct().Count());

        // A client that saw two events and reconnects gets the other four, and nothing twice.
        using var resumed = await SseReader.OpenAsync(client, "/api/events?job=test_counting", lastEventId: events[1].Id);
        var rest = await resumed.ReadUntilAsync(e => e.Type == "tributary.job.run.completed");
        Assert.Equal(events.Skip(2).Select(e => e.Id), rest.Select(e => e.Id));

        // A client that asks for only what comes next sees the next run's events and none of the first's.
        using var latest = await SseReader.OpenAsync(client, "/api/events?job=test_counting&after=latest");
        var second = await client.PostAsync("/api/etl/test_counting/runs", null);
        var secondRunId = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        var next = await latest.ReadUntilAsync(e => e.Type == "tributary.job.run.completed");
        Assert.Equal(6, next.Count);
        Assert.All(next, e => Assert.Equal(secondRunId, e.Data.GetProperty("subject").GetString()));
        Assert.True(next[0].Id > events[^1].Id,
            $"the stream after=latest began at event {next[0].Id}, not after the first run's last event {events[^1].Id}");

        var bad = await client.GetAsync("/api/events?after=soon");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'latest'", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("Last-Event-ID")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Etl_routes_trigger_list_and_explain_bad_input()
    {
        await using var cluster = await TributaryTestCluster.StartAsync("etl_api", o => o.WithTestJobs().WithGateway());
        using var client = cluster.Gateway!.CreateClient(GatewayHost.OperatorKey);

        var unknown = await client.PostAsync("/api/etl/no_such_job/runs", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal("There is no job named 'no_such_job'. GET /api/etl/jobs lists the jobs.",
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var badStatus = await client.GetAsync("/api/etl/runs?status=done&limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        var errors = (await badStatus.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["limit", "status"], errors.EnumerateObject().Select(p => p.Name).Order());

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/etl/runs/not-a-uuid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/etl/runs/{Guid.NewGuid()}")).StatusCode);

        var ticket = await (await client.PostAsync("/api/etl/test_counting/runs", null)).Content.ReadFromJsonAsync<JsonElement>();
        var runId = Guid.Parse(ticket.GetProperty("runId").GetString()!);
        await RunAssertions.WaitForFinalAsync(cluster.ConnectionString, runId);
        var run = await client.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(5, run.GetProperty("batches").GetArrayLength());
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/etl/runs?job=test_counting&status=succeeded");
        Assert.Equal(runId.ToString(), Assert.Single(listed.EnumerateArray()).GetProperty("runId").GetString());
        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/etl/jobs");
        Assert.Equal(["analysis_task", "process_transactions_to_holdings", "process_transactions_to_holdings_monthly", "prune_analysis_tasks", "prune_retention", "test_counting", "test_cursor", "test_gated", "test_stepped"], jobs.EnumerateArray().Select(j => j.GetProperty("name").GetString()));
    }
}
