using System.Net.Http.Headers;
using System.Text;

namespace Tributary.Cluster.Tests;

/// <summary>The gateway over real HTTP, in front of a real silo process on a real PostgreSQL.</summary>
public sealed class GatewayTests(SingleSiloCluster fixture) : IClassFixture<SingleSiloCluster>
{
    private readonly GatewayHost _gateway = fixture.Cluster.Gateway;

    [Fact]
    public async Task Ping_needs_no_key_and_reports_the_active_silos()
    {
        using var client = _gateway.CreateClient();
        var response = await client.GetAsync("/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(1, body.GetProperty("silosActive").GetInt32());
        Assert.Equal("0.1.0", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Health_needs_no_key_and_checks_database_and_cluster()
    {
        using var client = _gateway.CreateClient();
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["database"] = "healthy", ["cluster"] = "healthy" }, checks);
    }

    [Fact]
    public async Task An_api_route_without_a_key_is_401_problem_json_with_a_challenge()
    {
        using var client = _gateway.CreateClient();
        var response = await client.GetAsync("/api/cluster/silos");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Send an API key in the X-Api-Key header.", problem.GetProperty("detail").GetString());
        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.Contains("ApiKey", challenge, StringComparison.Ordinal);
        Assert.Contains("Basic", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_401_and_the_key_is_not_echoed()
    {
        using var client = _gateway.CreateClient("not-a-key-that-anyone-configured");
        var response = await client.GetAsync("/api/cluster/silos");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("The API key is not valid.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-key-that-anyone-configured", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_403_for_an_operator_key_and_open_to_an_admin_key()
    {
        using var operatorClient = _gateway.CreateClient(GatewayHost.OperatorKey);
        var forbidden = await operatorClient.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);

        using var adminClient = _gateway.CreateClient(GatewayHost.AdminKey);
        var allowed = await adminClient.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("text/html", allowed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_browser_may_send_the_key_as_the_basic_password()
    {
        using var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"anyone:{GatewayHost.AdminKey}")));

        // "/dashboard" redirects here; HttpClient, unlike a browser, drops Authorization on redirects.
        var response = await client.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Operator_routes_accept_an_operator_key()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var silos = await client.GetFromJsonAsync<List<SiloView>>("/api/cluster/silos");

        var silo = Assert.Single(silos!);
        Assert.Equal("Active", silo.Status);
        Assert.Equal("silo-1", silo.Name);
    }

    [Fact]
    public async Task A_probe_written_through_the_gateway_reads_back_with_its_silo()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var name = $"round-trip-{Guid.NewGuid():N}";

        var written = await client.PutAsJsonAsync($"/api/diagnostics/probes/{name}", new { value = "hello" });
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
        await client.PutAsJsonAsync($"/api/diagnostics/probes/{name}", new { value = "hello again" });
        var read = await client.GetFromJsonAsync<JsonElement>($"/api/diagnostics/probes/{name}");

        Assert.Equal(name, read.GetProperty("name").GetString());
        Assert.Equal("hello again", read.GetProperty("value").GetString());
        Assert.Equal(2, read.GetProperty("writes").GetInt32());
        Assert.EndsWith($":{fixture.Cluster.Silos[0].SiloPort}", read.GetProperty("silo").GetString()!.Split('@')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_body_is_400_problem_json_naming_the_field_and_changes_nothing()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var name = $"malformed-{Guid.NewGuid():N}";

        var response = await client.PutAsync($"/api/diagnostics/probes/{name}", new StringContent("""{"value": 42}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal(["value"], errors.EnumerateObject().Select(p => p.Name));
        // What the field must be, in words: never the .NET type it binds to.
        Assert.Equal(["Must be a string (or null)."], errors.GetProperty("value").EnumerateArray().Select(e => e.GetString()));

        var unchanged = await client.GetFromJsonAsync<JsonElement>($"/api/diagnostics/probes/{name}");
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("value").ValueKind);
        Assert.Equal(0, unchanged.GetProperty("writes").GetInt32());
    }

    [Fact]
    public async Task Truncated_json_is_400_problem_json_with_a_position()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.PutAsync("/api/diagnostics/probes/truncated", new StringContent("""{"value": "abc""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reason = Assert.Single(problem.GetProperty("errors").EnumerateObject()).Value[0].GetString();
        Assert.Contains("(line 1, byte", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_400_naming_the_parameter_not_its_dotnet_type()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.GetAsync($"/api/webhooks/{Guid.NewGuid()}/deliveries?limit=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(("limit", "'abc' is not a whole number."), (error.Name, error.Value[0].GetString()));
        Assert.Equal("limit: 'abc' is not a whole number.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Invalid_fields_are_400_validation_problems_naming_each_field()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.PutAsJsonAsync("/api/diagnostics/probes/bad name!", new { value = (string?)null });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["name", "value"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Required: the text to store.", errors.GetProperty("value")[0].GetString());
    }

    [Fact]
    public async Task The_openapi_document_needs_a_key_and_describes_routes_and_the_key_scheme()
    {
        using var anonymous = _gateway.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);

        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/diagnostics/probes/{name}", out _));
        var occurrences = document.GetProperty("paths").GetProperty("/api/schedules/{job}/occurrences").GetProperty("get");
        Assert.Equal(["job", "count"], occurrences.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/wealthx/{feed}/status", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/api/wealthx/{feed}/sessions").TryGetProperty("post", out _));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
        // The UI at /docs/ loads the document relative to itself; it must be there too.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Past_the_rate_of_a_key_the_gateway_answers_429_problem_json_with_retry_after_and_the_probes_stay_open()
    {
        // A second gateway on the same cluster, with a key bucket of 3 that refills once in 100 s.
        await using var limited = await GatewayHost.StartAsync(fixture.Cluster.Settings.ConnectionString, fixture.Cluster.Settings.ClusterId,
            fixture.Cluster.Settings.ServiceId, new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:PerKey:Burst"] = "3",
                ["Gateway:RateLimiting:PerKey:PerSecond"] = "0.01",
            });
        using var client = limited.CreateClient(GatewayHost.OperatorKey);
        using var admin = limited.CreateClient(GatewayHost.AdminKey);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.GetAsync("/api/etl/jobs")).StatusCode);
        }

        using var refused = await client.GetAsync("/api/etl/jobs");
        var probes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            probes.Add((await client.GetAsync("/ping")).StatusCode);
            probes.Add((await client.GetAsync("/health")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 100 }, $"Retry-After is the wait for the next token (1..100 s), was {retryAfter}");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests.", problem.GetProperty("title").GetString());
        Assert.All(probes, status => Assert.Equal(HttpStatusCode.OK, status));
        // The limit is per key: another key still gets through.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/etl/jobs")).StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_limited_by_address()
    {
        await using var limited = await GatewayHost.StartAsync(fixture.Cluster.Settings.ConnectionString, fixture.Cluster.Settings.ClusterId,
            fixture.Cluster.Settings.ServiceId, new Dictionary<string, string?>
            {
                ["Gateway:RateLimiting:PerAddress:Burst"] = "2",
                ["Gateway:RateLimiting:PerAddress:PerSecond"] = "0.01",
            });
        using var guesser = limited.CreateClient("not-a-key-of-this-gateway-at-all");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await guesser.GetAsync("/api/etl/jobs")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("/api/holdings?account_id=%00", "account_id")]
    [InlineData("/api/etl/runs?job=a%00b", "job")]
    [InlineData("/api/etl/dead-letters?job=%00", "job")]
    [InlineData("/api/wealthx/default/dossiers?name=%00", "name")]
    public async Task A_nul_character_in_a_query_or_route_value_is_400_naming_it(string url, string field)
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.StartsWith("Must not contain the NUL character (U+0000", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_character_in_the_path_is_refused_by_kestrel_before_the_app()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.GetAsync("/api/schedules/a%00b");

        // Kestrel refuses a request target with a NUL itself (a bare 400): nothing reaches a route, a grain or PostgreSQL.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"cron":"0 3 * * *\u0000"}""", "Must not contain the NUL character (U+0000, at position 9).")]
    [InlineData("""{"cron":"\ud800"}""", "Must be valid Unicode text: a lone UTF-16 surrogate (U+D800..U+DFFF without its pair).")]
    public async Task Unstorable_text_in_a_json_body_is_400_naming_the_field_and_changes_nothing(string body, string reason)
    {
        using var client = _gateway.CreateClient(GatewayHost.AdminKey);
        var before = await client.GetStringAsync("/api/schedules");

        var response = await client.PutAsync("/api/schedules/process_transactions_to_holdings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(reason, errors.GetProperty("cron")[0].GetString());
        Assert.Equal(before, await client.GetStringAsync("/api/schedules"));
    }

    [Fact]
    public async Task A_25_mb_import_is_413_problem_json_at_once_and_the_gateway_stays_small()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var body = new byte[25 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        body[0] = (byte)'[';
        body[^1] = (byte)']';
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var before = CurrentWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // As a well-behaved client of large uploads does: ask first, so a refusal comes before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/portfolio/accounts") { Content = content };
        request.Headers.ExpectContinue = true;
        using var response = await client.SendAsync(request);

        clock.Stop();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Request body too large. The max request body size is 20971520 bytes.", problem.GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the refusal took {clock.Elapsed}");
        // The test's own 25 MB array aside, the gateway (in this process) did not grow by the body.
        Assert.True(CurrentWorkingSet() - before < 100L * 1024 * 1024, $"the working set grew by {(CurrentWorkingSet() - before) / 1024 / 1024} MB");
    }

    [Fact]
    public async Task A_1_mb_import_of_zeros_lists_100_errors_and_counts_them_all()
    {
        using var client = _gateway.CreateClient(GatewayHost.OperatorKey);
        var zeros = "[" + string.Join(",", Enumerable.Repeat("0", 500_000)) + "]";

        using var response = await client.PostAsync("/api/portfolio/accounts", new StringContent(zeros, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length < 64 * 1024, $"the refusal is {text.Length} characters");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(100, problem.GetProperty("errors").EnumerateObject().Count());
        Assert.Equal("100001 problem(s) in 0 row(s), the first 100 listed; nothing was imported.", problem.GetProperty("detail").GetString());
    }

    private static long CurrentWorkingSet()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
