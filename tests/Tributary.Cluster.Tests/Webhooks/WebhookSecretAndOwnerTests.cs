using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Tributary.Api.Events;
using Tributary.Storage.Events;

namespace Tributary.Cluster.Tests.Webhooks;

/// <summary>
/// Webhook secrets at rest and webhook owners, on a gateway that may deliver to loopback (the receivers here listen
/// there): secrets are not in a dump of the database and deliveries still verify; each user sees their own webhooks.
/// </summary>
public sealed class WebhookSecretAndOwnerTests(SingleSiloCluster fixture) : IClassFixture<SingleSiloCluster>
{
    private string ConnectionString => fixture.Cluster.Settings.ConnectionString;

    [Fact]
    public async Task The_secret_is_not_in_a_pg_dump_and_deliveries_from_any_replica_still_verify()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var job = $"secret_{Guid.NewGuid():N}";
        var oldSecret = $"old-plain-secret-{Guid.NewGuid():N}";
        var newSecret = $"new-api-secret-{Guid.NewGuid():N}";

        // A webhook from before secrets were protected: its secret in plain text, as migration 0008 leaves it.
        var oldId = Guid.NewGuid();
        await ExecuteAsync(
            """
            INSERT INTO webhooks (webhook_id, url, secret, jobs, cursor_sequence)
            VALUES (@id, @url, @secret, @jobs, (SELECT coalesce(max(sequence), 0) FROM event_outbox))
            """,
            ("id", oldId), ("url", receiver.Url), ("secret", oldSecret), ("jobs", new[] { job }));
        using var client = fixture.Cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/webhooks", new { url = receiver.Url, secret = newSecret, jobs = new[] { job } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var newId = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookId").GetString()!);

        // Another gateway replica starts: it protects the plain secret, and shares the key ring with the first.
        await using var replica = await GatewayHost.StartAsync(ConnectionString, fixture.Cluster.Settings.ClusterId, fixture.Cluster.Settings.ServiceId);
        await Eventually.TrueAsync(
            async () => await ScalarAsync<long>("SELECT count(*) FROM webhooks WHERE NOT secret_protected") == 0,
            "the starting gateway protects the secret stored in plain text");

        var dump = await DatabaseDump.DumpAsync(ConnectionString);

        Assert.Contains(newId.ToString(), dump, StringComparison.Ordinal);
        Assert.Contains(oldId.ToString(), dump, StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(newSecret, dump, StringComparison.Ordinal);
        // The key ring is in the dump too, but sealed: no master key in the clear.
        Assert.Contains("keyRingSealed", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", dump, StringComparison.Ordinal);

        await AppendEventAsync(job);
        var deliveries = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Received.Count >= 2 ? receiver.Received.ToArray() : null),
            "both webhooks receive the event");

        Assert.Equal(2, deliveries.Length);
        var bySubscription = deliveries.ToDictionary(d => Guid.Parse(d.Delivery!.Split('/')[0]));
        Assert.Equal(WebhookDeliveryService.Sign(oldSecret, bySubscription[oldId].Body), bySubscription[oldId].Signature);
        Assert.Equal(WebhookDeliveryService.Sign(newSecret, bySubscription[newId].Body), bySubscription[newId].Signature);
    }

    [Fact]
    public async Task Two_users_each_see_only_their_own_webhooks_and_admin_sees_both()
    {
        using var first = fixture.Cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        using var second = fixture.Cluster.Gateway.CreateClient(GatewayHost.SecondOperatorKey);
        using var admin = fixture.Cluster.Gateway.CreateClient(GatewayHost.AdminKey);
        // A job that never runs: these webhooks are never delivered to.
        var never = new[] { $"never_{Guid.NewGuid():N}" };
        var firstId = await CreateAsync(first, "http://127.0.0.1:9/first", never, GatewayHost.OperatorUser);
        var secondId = await CreateAsync(second, "http://127.0.0.1:9/second", never, GatewayHost.SecondOperatorUser);

        var firstList = await ListAsync(first);
        var secondList = await ListAsync(second);
        var adminList = await ListAsync(admin);

        Assert.Contains(firstId, firstList.Keys);
        Assert.DoesNotContain(secondId, firstList.Keys);
        Assert.All(firstList.Values, owner => Assert.Equal(GatewayHost.OperatorUser, owner));
        Assert.Contains(secondId, secondList.Keys);
        Assert.DoesNotContain(firstId, secondList.Keys);
        Assert.All(secondList.Values, owner => Assert.Equal(GatewayHost.SecondOperatorUser, owner));
        Assert.Equal(GatewayHost.OperatorUser, adminList[firstId]);
        Assert.Equal(GatewayHost.SecondOperatorUser, adminList[secondId]);

        // Another user's id answers exactly as an id that does not exist.
        foreach (var response in new[]
                 {
                     await second.GetAsync($"/api/webhooks/{firstId}"),
                     await second.GetAsync($"/api/webhooks/{firstId}/deliveries"),
                     await second.DeleteAsync($"/api/webhooks/{firstId}"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Unknown webhook", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        }

        var stillThere = await first.GetFromJsonAsync<JsonElement>($"/api/webhooks/{firstId}");
        Assert.True(stillThere.GetProperty("active").GetBoolean());
        Assert.Equal("[]", await first.GetStringAsync($"/api/webhooks/{firstId}/deliveries"));
        Assert.Equal(GatewayHost.SecondOperatorUser, (await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{secondId}")).GetProperty("owner").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{secondId}")).StatusCode);
        Assert.DoesNotContain(secondId, (await ListAsync(second)).Keys);
        Assert.Equal(HttpStatusCode.NoContent, (await first.DeleteAsync($"/api/webhooks/{firstId}")).StatusCode);
    }

    [Theory]
    [InlineData(GatewayHost.OperatorKey, GatewayHost.OperatorUser, GatewayHost.OperatorUser, "operator")]
    [InlineData(GatewayHost.SecondOperatorKey, GatewayHost.SecondOperatorUser, "test second operator", "operator")]
    [InlineData(GatewayHost.AdminKey, "admin", "admin (TRIBUTARY_ADMIN_KEY)", "admin")]
    public async Task Me_says_which_user_a_key_acts_for_and_its_scope(string key, string user, string name, string scope)
    {
        using var client = fixture.Cluster.Gateway.CreateClient(key);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/me");

        Assert.Equal(user, me.GetProperty("user").GetString());
        Assert.Equal(name, me.GetProperty("name").GetString());
        Assert.Equal(scope, me.GetProperty("scope").GetString());
        Assert.Equal(3, me.EnumerateObject().Count());
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_fails_the_delivery()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var redirecting = await WebhookReceiver.StartAsync(_ => Results.Redirect(elsewhere.Url, permanent: false, preserveMethod: true));
        var job = $"redirect_{Guid.NewGuid():N}";
        using var client = fixture.Cluster.Gateway.CreateClient(GatewayHost.OperatorKey);
        var id = await CreateAsync(client, redirecting.Url, [job], GatewayHost.OperatorUser);

        await AppendEventAsync(job);
        var delivery = (await Eventually.ValueAsync<JsonElement?>(async () =>
                (await client.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries")).EnumerateArray()
                    .Where(d => d.GetProperty("attempts").GetInt32() >= 1).Select(d => (JsonElement?)d).FirstOrDefault(),
            "the redirected delivery is attempted"))!.Value;

        Assert.Equal(307, delivery.GetProperty("lastStatus").GetInt32());
        Assert.Equal("HTTP 307 (redirects are not followed)", delivery.GetProperty("lastError").GetString());
        Assert.Equal("pending", delivery.GetProperty("status").GetString());
        // The receiver was asked (and may be again, as the delivery is retried); where it pointed, never.
        Assert.NotEmpty(redirecting.Received);
        Assert.Empty(elsewhere.Received);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
    }

    private static async Task<Guid> CreateAsync(HttpClient client, string url, string[] jobs, string owner)
    {
        var response = await client.PostAsJsonAsync("/api/webhooks", new { url, jobs });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(owner, created.GetProperty("owner").GetString());
        return Guid.Parse(created.GetProperty("webhookId").GetString()!);
    }

    private static async Task<Dictionary<Guid, string>> ListAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/webhooks")).EnumerateArray()
            .ToDictionary(w => Guid.Parse(w.GetProperty("webhookId").GetString()!), w => w.GetProperty("owner").GetString()!);

    private async Task AppendEventAsync(string job)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Outbox.AppendAsync(connection, transaction,
            new OutboxEvent("tributary.test.webhook", "/tests/webhooks", "secrets", job, DateTimeOffset.UtcNow, new JsonObject { ["job"] = job }),
            CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
