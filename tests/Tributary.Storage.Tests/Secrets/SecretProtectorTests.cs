using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tributary.Storage.Events;
using Tributary.Storage.Secrets;
using Tributary.Testing;

namespace Tributary.Storage.Tests.Secrets;

/// <summary>
/// Stored secrets through Data Protection with the key ring in PostgreSQL: several processes ("replicas", each its
/// own service provider) on one database, as several gateways run.
/// </summary>
public sealed class SecretProtectorTests
{
    private static readonly string KeyA = Convert.ToBase64String(Encoding.ASCII.GetBytes("key-ring-key-a-for-storage-tests"));
    private static readonly string KeyB = Convert.ToBase64String(Encoding.ASCII.GetBytes("key-ring-key-b-for-storage-tests"));

    [Fact]
    public async Task Replicas_starting_together_share_one_key_and_read_each_others_secrets()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_replicas");
        await using var first = Replica(connectionString, KeyA);
        await using var second = Replica(connectionString, KeyA);
        var (a, b) = (first.GetRequiredService<SecretProtector>(), second.GetRequiredService<SecretProtector>());

        // Both read (or create) the empty ring at the same moment.
        var protectedSecrets = await Task.WhenAll(
            a.ProtectAsync("test.purpose", "secret of the first replica", CancellationToken.None),
            b.ProtectAsync("test.purpose", "secret of the second replica", CancellationToken.None));

        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM data_protection_keys"));
        Assert.Equal("secret of the first replica", await b.UnprotectAsync("test.purpose", protectedSecrets[0], CancellationToken.None));
        Assert.Equal("secret of the second replica", await a.UnprotectAsync("test.purpose", protectedSecrets[1], CancellationToken.None));
        Assert.DoesNotContain("secret of the", protectedSecrets[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replica_reads_or_creates_the_key_ring_only_while_it_holds_the_key_ring_lock()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_ring_lock");
        await using var replica = Replica(connectionString, KeyA);
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({SecretProtector.KeyRingLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        // Another replica holds the lock (as if creating the first key): this one waits for it.
        var protecting = replica.GetRequiredService<SecretProtector>().ProtectAsync("test.purpose", "waits for the lock", CancellationToken.None);
        await Eventually.TrueAsync(
            async () => await MigratedDatabase.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND ((classid::bigint << 32) | objid::bigint) = @key",
                ("key", SecretProtector.KeyRingLockKey)) == 1,
            "the replica waits for the key-ring lock");
        var keysWhileWaiting = await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM data_protection_keys");
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({SecretProtector.KeyRingLockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var stored = await protecting;

        Assert.Equal(0L, keysWhileWaiting);
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM data_protection_keys"));
        Assert.Equal("waits for the lock", await replica.GetRequiredService<SecretProtector>().UnprotectAsync("test.purpose", stored, CancellationToken.None));
    }

    [Fact]
    public async Task The_stored_key_ring_holds_its_keys_sealed_never_in_the_clear()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_sealed");
        await using var replica = Replica(connectionString, KeyA);
        await replica.GetRequiredService<SecretProtector>().ProtectAsync("test.purpose", "anything", CancellationToken.None);

        var xml = await MigratedDatabase.ScalarAsync<string>(connectionString, "SELECT string_agg(xml, '') FROM data_protection_keys");

        Assert.Contains($"<keyRingSealed fingerprint=\"{KeyRingKey.Parse(KeyA).Fingerprint}\" algorithm=\"AES-256-GCM\"", xml, StringComparison.Ordinal);
        // An unsealed Data Protection key carries its master key as <masterKey ...><value>base64</value>.
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_with_another_key_ring_key_is_told_so_and_reads_nothing()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_other_key");
        await using var rightKey = Replica(connectionString, KeyA);
        var stored = await rightKey.GetRequiredService<SecretProtector>().ProtectAsync("test.purpose", "kept secret", CancellationToken.None);
        await using var wrongKey = Replica(connectionString, KeyB);

        var failure = await Assert.ThrowsAsync<SecretProtectionException>(
            () => wrongKey.GetRequiredService<SecretProtector>().UnprotectAsync("test.purpose", stored, CancellationToken.None));

        Assert.Equal(
            "The Data Protection key ring in PostgreSQL (table data_protection_keys) was sealed with another DataProtection:KeyRingKey " +
            $"(fingerprint {KeyRingKey.Parse(KeyA).Fingerprint}) than this process's (fingerprint {KeyRingKey.Parse(KeyB).Fingerprint}): " +
            "give every gateway the same key (run.sh keeps it in .data/keyring-key).",
            failure.Message);
        // It created no key of its own in the shared ring.
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM data_protection_keys"));
    }

    [Fact]
    public async Task A_secret_protected_for_one_purpose_does_not_open_for_another()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_purpose");
        await using var replica = Replica(connectionString, KeyA);
        var secrets = replica.GetRequiredService<SecretProtector>();
        var stored = await secrets.ProtectAsync("bank.token", "a bank token", CancellationToken.None);

        var failure = await Assert.ThrowsAsync<SecretProtectionException>(() => secrets.UnprotectAsync(WebhookStore.SecretPurpose, stored, CancellationToken.None));

        Assert.StartsWith($"A stored secret ({WebhookStore.SecretPurpose}) could not be decrypted: ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a bank token", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_webhook_secrets_from_before_are_protected_once_while_two_gateways_try_at_the_same_time()
    {
        var connectionString = await MigratedDatabase.CreateAsync("secrets_plain_rows");
        var plain = Enumerable.Range(1, 25).ToDictionary(i => new Guid(i, 0, 0, new byte[8]), i => $"plain-secret-number-{i:00}-from-before");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            foreach (var (id, secret) in plain)
            {
                // As migration 0008 leaves a row from before: owned by admin, not protected.
                await using var insert = dataSource.CreateCommand("INSERT INTO webhooks (webhook_id, url, secret) VALUES (@id, 'http://127.0.0.1:9/hook', @secret)");
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("secret", secret);
                await insert.ExecuteNonQueryAsync();
            }
        }

        await using var first = Replica(connectionString, KeyA);
        await using var second = Replica(connectionString, KeyA);

        var counts = await Task.WhenAll(
            first.GetRequiredService<WebhookStore>().ProtectPlainSecretsAsync(CancellationToken.None),
            second.GetRequiredService<WebhookStore>().ProtectPlainSecretsAsync(CancellationToken.None));
        var again = await first.GetRequiredService<WebhookStore>().ProtectPlainSecretsAsync(CancellationToken.None);

        Assert.Equal(25, counts.Sum());
        Assert.Equal(0, again);
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM webhooks WHERE NOT secret_protected"));
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM webhooks WHERE secret LIKE 'plain-secret-%'"));
        Assert.Equal(["admin"], await ColumnAsync(connectionString, "SELECT DISTINCT owner FROM webhooks"));
        var secrets = second.GetRequiredService<SecretProtector>();
        foreach (var (id, secret) in plain)
        {
            var stored = await MigratedDatabase.ScalarAsync<string>(connectionString, "SELECT secret FROM webhooks WHERE webhook_id = @id", ("id", id));
            Assert.Equal(secret, await secrets.UnprotectAsync(WebhookStore.SecretPurpose, stored, CancellationToken.None));
        }
    }

    private static ServiceProvider Replica(string connectionString, string keyRingKey)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:KeyRingKey"] = keyRingKey })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSecretProtection(configuration);
        services.AddSingleton<WebhookStore>();
        return services.BuildServiceProvider();
    }

    private static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
