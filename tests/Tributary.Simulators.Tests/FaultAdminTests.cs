using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Tributary.Simulators.Tests;

/// <summary>The <c>/_admin/faults</c> API: replace, add, delete, and refuse invalid rules naming the field.</summary>
public sealed class FaultAdminTests
{
    [Fact]
    public async Task PutReplacesPostAddsDeleteClears()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10");
        await simulator.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "reset" });

        using var put = await simulator.Http.PutAsJsonAsync("/_admin/faults", new object[]
        {
            new { route = "wealthx.alldossiers", kind = "latency", latencyMs = 5, count = 2 },
            new { route = "*", kind = "429", probability = 0.25 },
        });
        var afterPut = await simulator.GetFaultsAsync();
        var added = await simulator.AddFaultAsync(new { route = "wealthx.notfound", kind = "5xx", status = 599 });
        var afterPost = await simulator.GetFaultsAsync();
        using var deleteOne = await simulator.Http.DeleteAsync($"/_admin/faults/{added.Id}");
        var afterDeleteOne = await simulator.GetFaultsAsync();
        using var clear = await simulator.Http.DeleteAsync("/_admin/faults");
        var afterClear = await simulator.GetFaultsAsync();
        using var page = await simulator.GetDossiersAsync("fromIndex=1&toIndex=1");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Collection(
            afterPut,
            rule => Assert.Equal(("wealthx.alldossiers", "latency", (int?)5, (int?)2, (int?)2, (double?)null), (rule.Route, rule.Kind, rule.LatencyMs, rule.Count, rule.Remaining, rule.Probability)),
            rule => Assert.Equal(("*", "429", (int?)1, (double?)0.25, (int?)null), (rule.Route, rule.Kind, rule.RetryAfterSeconds, rule.Probability, rule.Count)));
        Assert.Equal(3, afterPost.Count);
        Assert.Equal(("wealthx.notfound", "5xx", (int?)599), (added.Route, added.Kind, added.Status));
        Assert.Equal(HttpStatusCode.NoContent, deleteOne.StatusCode);
        Assert.Equal(afterPut.Select(rule => rule.Id), afterDeleteOne.Select(rule => rule.Id));
        Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        Assert.Empty(afterClear);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("""{"route":"wealthx.alldossiers"}""", "kind", "kind must be one of 429, 5xx, latency, malformed, reset; was missing.")]
    [InlineData("""{"route":"wealthx.alldossiers","kind":"teapot"}""", "kind", "kind must be one of 429, 5xx, latency, malformed, reset; was 'teapot'.")]
    [InlineData("""{"kind":"429"}""", "route", "route is required: a simulated route name ('aiplatform.analyses', 'aiplatform.login', 'dropbox.delete', 'dropbox.delete_batch', 'dropbox.delete_batch_check', 'dropbox.list_folder', 'dropbox.list_folder_continue', 'dropbox.notfound', 'dropbox.token', 'dropbox.upload', 'dropbox.upload_session', 'keycloak.auth', 'keycloak.authenticate', 'keycloak.notfound', 'keycloak.token', 'marketdata.history', 'marketdata.indices', 'marketdata.notfound', 'marketdata.quotes', 'truelayer.account', 'truelayer.accounts', 'truelayer.dialog', 'truelayer.me', 'truelayer.notfound', 'truelayer.pending', 'truelayer.token', 'truelayer.transactions', 'vestr.graphql', 'wealthx.alldossiers', 'wealthx.notfound') or '*' for every route.")]
    [InlineData("""{"route":"sftp.upload","kind":"429"}""", "route", "route must name a simulated route ('aiplatform.analyses', 'aiplatform.login', 'dropbox.delete', 'dropbox.delete_batch', 'dropbox.delete_batch_check', 'dropbox.list_folder', 'dropbox.list_folder_continue', 'dropbox.notfound', 'dropbox.token', 'dropbox.upload', 'dropbox.upload_session', 'keycloak.auth', 'keycloak.authenticate', 'keycloak.notfound', 'keycloak.token', 'marketdata.history', 'marketdata.indices', 'marketdata.notfound', 'marketdata.quotes', 'truelayer.account', 'truelayer.accounts', 'truelayer.dialog', 'truelayer.me', 'truelayer.notfound', 'truelayer.pending', 'truelayer.token', 'truelayer.transactions', 'vestr.graphql', 'wealthx.alldossiers', 'wealthx.notfound') or be '*'; was 'sftp.upload'.")]
    [InlineData("""{"route":"*","kind":"429","probability":1.5}""", "probability", "probability must be between 0 and 1; was 1.5.")]
    [InlineData("""{"route":"*","kind":"429","count":0}""", "count", "count must be 1 or more (omit it for no limit); was 0.")]
    [InlineData("""{"route":"*","kind":"429","latencyMs":100}""", "latencyMs", "latencyMs applies only to kind 'latency'.")]
    [InlineData("""{"route":"*","kind":"5xx","status":404}""", "status", "status must be 500..599; was 404.")]
    [InlineData("""{"route":"*","kind":"reset","retryAfterSeconds":3}""", "retryAfterSeconds", "retryAfterSeconds applies only to kind '429'.")]
    [InlineData("""{"route":"*","kind":"latency"}""", "latencyMs", "latencyMs is required for kind 'latency': the delay in milliseconds.")]
    [InlineData("""{"route":"*","kind":"latency","latencyMs":0}""", "latencyMs", "latencyMs must be 1..600000; was 0.")]
    [InlineData("""{"route":"*","kind":"429","pathContains":" "}""", "pathContains", "pathContains must be text the request path contains, such as '/accounts/<id>/' (omit it to match every path); was empty.")]
    [InlineData("""{"route":"*","kind":429}""", "body", null)]
    [InlineData("""not json""", "body", null)]
    [InlineData("", "rule", "rule is missing: send an object with at least route and kind.")]
    public async Task AnInvalidRuleIsA400ProblemNamingTheField(string json, string field, string? message)
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10");

        using var response = await simulator.Http.PostAsync("/_admin/faults", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        if (message is not null)
        {
            Assert.Equal(message, Assert.Single(error.Value.EnumerateArray()).GetString());
        }

        Assert.Empty(await simulator.GetFaultsAsync());
    }

    [Fact]
    public async Task AnInvalidReplacementNamesTheRuleAndKeepsTheOldRules()
    {
        await using var simulator = await SimulatorInstance.StartAsync("Simulators:WealthX:TotalDossiers=10");
        var kept = await simulator.AddFaultAsync(new { route = "*", kind = "malformed" });

        using var response = await simulator.Http.PutAsJsonAsync("/_admin/faults", new object[]
        {
            new { route = "*", kind = "reset" },
            new { route = "*", kind = "slow" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["[1].kind"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal([kept.Id], (await simulator.GetFaultsAsync()).Select(rule => rule.Id));
    }
}
