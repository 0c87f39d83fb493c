using System.Text.Json.Nodes;
using Npgsql;
using Tributary.Storage.Events;

namespace Tributary.Cluster.Tests.Webhooks;

/// <summary>A silo and a gateway as <c>run.sh</c> configures it: webhooks to private targets refused.</summary>
public sealed class PrivateTargetsRefusedCluster : IAsyncLifetime
{
    public RunningCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await RunningCluster.StartAsync("webhook_refusal", siloCount: 1,
        gatewaySettings: new Dictionary<string, string?> { ["Webhooks:AllowPrivateTargets"] = "false" });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// The gateway refuses webhooks to private targets when one is created, and again on the address each delivery would
/// connect to. Every address here is refused before a connection; where a delivery is tried, every target would land
/// on this machine if the check failed (a loopback receiver listens there, and must receive nothing).
/// </summary>
public sealed class WebhookRefusalTests(PrivateTargetsRefusedCluster fixture) : IClassFixture<PrivateTargetsRefusedCluster>
{
    private const string Rule = ": webhooks go to public addresses only, unless the gateway's Webhooks:AllowPrivateTargets is true.";

    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://[::1]:9/hook", "::1 is a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address")]
    [InlineData("http://[fe80::1]/hook", "fe80::1 is a link-local address")]
    [InlineData("http://10.0.0.1/hook", "10.0.0.1 is a private address")]
    [InlineData("https://172.16.5.4/hook", "172.16.5.4 is a private address")]
    [InlineData("http://192.168.1.1/hook", "192.168.1.1 is a private address")]
    [InlineData("http://[fd12:3456::1]/hook", "fd12:3456::1 is a private address")]
    [InlineData("http://[::ffff:10.0.0.1]/hook", "::ffff:10.0.0.1 is a private address")]
    [InlineData("http://100.64.0.1/hook", "100.64.0.1 is a shared (carrier-grade NAT) address")]
    [InlineData("http://224.0.0.1/hook", "224.0.0.1 is a multicast address")]
    [InlineData("http://[ff02::1]/hook", "ff02::1 is a multicast address")]
    [InlineData("http://0.0.0.0:9/hook", "0.0.0.0 is the unspecified address")]
    [InlineData("http://[::]:9/hook", ":: is the unspecified address")]
    [InlineData("http://255.255.255.255/hook", "255.255.255.255 is the broadcast address")]
    public async Task Each_refused_class_is_refused_at_creation_naming_the_url(string url, string reason)
    {
        using var client = fixture.Cluster.Gateway.CreateClient(GatewayHost.OperatorKey);

        var response = await client.PostAsJsonAsync("/api/webhooks", new { url, secret = "a-secret-of-sixteen-or-more" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["url"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal(reason + Rule, errors.GetProperty("url")[0].GetString());
        Assert.DoesNotContain("a-secret-of-sixteen-or-more", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Localhost_is_refused_at_creation_because_it_resolves_to_loopback()
    {
        using var client = fixture.Cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var first = (await Dns.GetHostAddressesAsync("localhost"))[0];

        var response = await client.PostAsJsonAsync("/api/webhooks", new { url = "http://localhost:9/hook" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal($"localhost resolves to {first}, a loopback address{Rule}", errors.GetProperty("url")[0].GetString());
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>("/api/webhooks")).EnumerateArray(),
            w => w.GetProperty("url").GetString()!.Contains("localhost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_whose_target_became_loopback_is_refused_at_delivery_and_nothing_is_received()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var job = $"refusal_{Guid.NewGuid():N}";
        // Rows as a webhook made when its name still resolved elsewhere, or before targets were checked, would be:
        // creation is bypassed, so only the check at delivery stands between them and the receiver.
        var targets = new Dictionary<string, string>
        {
            [$"http://localhost:{receiver.Port}/hook"] = $"localhost resolves to {(await Dns.GetHostAddressesAsync("localhost"))[0]}, a loopback address",
            [$"http://127.0.0.1:{receiver.Port}/hook"] = "127.0.0.1 is a loopback address",
            [$"http://127.0.0.2:{receiver.Port}/hook"] = "127.0.0.2 is a loopback address",
            [$"http://0.0.0.0:{receiver.Port}/hook"] = "0.0.0.0 is the unspecified address",
            [$"http://[::ffff:127.0.0.1]:{receiver.Port}/hook"] = "::ffff:127.0.0.1 is a loopback address",
        };
        var ids = new Dictionary<Guid, string>();
        foreach (var (url, reason) in targets)
        {
            ids[await InsertWebhookAsync(url, job)] = reason;
        }

        await AppendEventAsync(job);

        using var admin = fixture.Cluster.Gateway.CreateClient(GatewayHost.AdminKey);
        foreach (var (id, reason) in ids)
        {
            var delivery = (await Eventually.ValueAsync<JsonElement?>(async () =>
                    (await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries")).EnumerateArray()
                        .Where(d => d.GetProperty("status").GetString() == "failed").Select(d => (JsonElement?)d).FirstOrDefault(),
                $"the delivery to webhook {id} fails"))!.Value;
            Assert.Equal($"Not sent: {reason}{Rule}", delivery.GetProperty("lastError").GetString());
            // Refused for good, at the first attempt: retrying a refusal would only be refused again.
            Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal(JsonValueKind.Null, delivery.GetProperty("lastStatus").ValueKind);
        }

        Assert.Empty(receiver.Received);
    }

    private async Task<Guid> InsertWebhookAsync(string url, string job)
    {
        var id = Guid.NewGuid();
        await using var dataSource = NpgsqlDataSource.Create(fixture.Cluster.Settings.ConnectionString);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO webhooks (webhook_id, url, secret, jobs, cursor_sequence)
            VALUES (@id, @url, 'a-secret-of-a-row-from-before', @jobs, (SELECT coalesce(max(sequence), 0) FROM event_outbox))
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("url", url);
        command.Parameters.AddWithValue("jobs", new[] { job });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    private async Task AppendEventAsync(string job)
    {
        await using var connection = new NpgsqlConnection(fixture.Cluster.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Outbox.AppendAsync(connection, transaction,
            new OutboxEvent("tributary.test.webhook", "/tests/webhooks", "refusal", job, DateTimeOffset.UtcNow, new JsonObject { ["job"] = job }),
            CancellationToken.None);
        await transaction.CommitAsync();
    }
}
