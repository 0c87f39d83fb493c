using Tributary.Storage.TrueLayer;
using static Tributary.Storage.Tests.TrueLayer.TrueLayerDatabase;

namespace Tributary.Storage.Tests.TrueLayer;

/// <summary><see cref="TrueLayerStore"/>: connections, OAuth states, accounts and the import job life cycle.</summary>
public sealed class TrueLayerStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Connections_are_listed_newest_first_per_owner_and_saving_tokens_makes_them_active_again()
    {
        await using var db = await CreateAsync("tl_connections");
        await db.Store.CreateConnectionAsync(Connection("conn-2", "owner-b"), None);
        await db.Store.CreateConnectionAsync(Connection("conn-3", Owner), None);
        await MigratedDatabase.ExecuteAsync(db.ConnectionString,
            "UPDATE truelayer_connections SET created_at = @at - (interval '1 minute' * (3 - substr(connection_id, 6)::int))", ("at", Now));

        await db.Store.SetConnectionStatusAsync("conn-3", StoredConnection.ReauthRequired, "The refresh token was revoked: connect the bank again.", None);
        var needsReauth = await db.Store.GetConnectionAsync("conn-3", None);
        await db.Store.SaveTokensAsync("conn-3", "CfDJ8-refresh-2", "CfDJ8-access-2", Now.AddHours(2), None);
        var refreshed = await db.Store.GetConnectionAsync("conn-3", None);

        Assert.Equal(["conn-3", ConnectionId], (await db.Store.ListConnectionsAsync(Owner, None)).Select(c => c.ConnectionId));
        Assert.Equal(["conn-3", "conn-2", ConnectionId], (await db.Store.ListConnectionsAsync(null, None)).Select(c => c.ConnectionId));
        Assert.Null(await db.Store.GetConnectionAsync("conn-9", None));
        Assert.NotNull(needsReauth);
        Assert.Equal((StoredConnection.ReauthRequired, "The refresh token was revoked: connect the bank again."), (needsReauth.Status, needsReauth.StatusMessage));
        Assert.NotNull(refreshed);
        Assert.Equal((StoredConnection.Active, (string?)null), (refreshed.Status, refreshed.StatusMessage));
        Assert.Equal(("CfDJ8-refresh-2", "CfDJ8-access-2", Now.AddHours(2)),
            (refreshed.RefreshTokenProtected, refreshed.AccessTokenProtected, refreshed.AccessTokenExpiresAt));
        Assert.Equal(("ob-test", "Test Bank", "cred-1", Now.AddDays(90)),
            (refreshed.ProviderId, refreshed.ProviderName, refreshed.CredentialsId, refreshed.ConsentExpiresAt));
        await Assert.ThrowsAsync<ArgumentException>(() => db.Store.SetConnectionStatusAsync("conn-3", "revoked", null, None));
    }

    [Fact]
    public async Task A_connection_printed_never_shows_its_protected_tokens()
    {
        await using var db = await CreateAsync("tl_connection_tostring");
        var stored = await db.Store.GetConnectionAsync(ConnectionId, None);

        var printed = stored!.ToString();
        var printedNew = Connection(ConnectionId, Owner).ToString();

        Assert.DoesNotContain("ciphertext", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("TokenProtected", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("ciphertext", printedNew, StringComparison.Ordinal);
        Assert.StartsWith("StoredConnection { ConnectionId = conn-1, Owner = owner-a, ", printed, StringComparison.Ordinal);
        Assert.Contains("Status = active", printed, StringComparison.Ordinal);
        Assert.StartsWith("NewConnection { ConnectionId = conn-1, Owner = owner-a, ", printedNew, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auth_state_is_used_once_before_it_expires_and_refused_with_the_reason_otherwise()
    {
        await using var db = await CreateAsync("tl_auth_states");
        await db.Store.CreateAuthStateAsync("hash-valid", Owner, Now, Now.AddMinutes(10), None);
        await db.Store.CreateAuthStateAsync("hash-expired", Owner, Now.AddMinutes(-20), Now.AddMinutes(-10), None);
        await db.Store.CreateAuthStateAsync("hash-race", "owner-b", Now, Now.AddMinutes(10), None);

        var first = await db.Store.ConsumeAuthStateAsync("hash-valid", Now.AddMinutes(1), None);
        var replayed = await db.Store.ConsumeAuthStateAsync("hash-valid", Now.AddMinutes(2), None);
        var expired = await db.Store.ConsumeAuthStateAsync("hash-expired", Now, None);
        var atExpiry = await db.Store.ConsumeAuthStateAsync("hash-race", Now.AddMinutes(10), None);
        var unknown = await db.Store.ConsumeAuthStateAsync("hash-never-issued", Now, None);
        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Store.ConsumeAuthStateAsync("hash-race", Now, None))));

        Assert.Equal(new AuthStateUse(Owner, null), first);
        Assert.Equal(new AuthStateUse(null, AuthStateProblem.AlreadyUsed), replayed);
        Assert.Equal(new AuthStateUse(null, AuthStateProblem.Expired), expired);
        Assert.Equal(new AuthStateUse(null, AuthStateProblem.Expired), atExpiry);
        Assert.Equal(new AuthStateUse(null, AuthStateProblem.Unknown), unknown);
        Assert.Equal([new AuthStateUse("owner-b", null)], racing.Where(r => r.Succeeded));
        Assert.Equal(7, racing.Count(r => r.Problem == AuthStateProblem.AlreadyUsed));
    }

    [Fact]
    public async Task Refreshing_accounts_keeps_their_sync_columns_and_the_incremental_mark_only_moves_forward()
    {
        await using var db = await CreateAsync("tl_accounts", "acc-1", "card-1");
        var job = Guid.NewGuid();
        await db.StartJobAsync(job, "acc-1");
        await db.Store.CommitChunkAsync(job, "acc-1", [Tx("k1"), Tx("k2")], None);
        await db.Store.RecordAccountSyncAsync("acc-1", Now, Now.AddDays(-1), 3.5, 420.0, None);
        await db.Store.RecordAccountSyncAsync("acc-1", Now.AddHours(1), Now.AddDays(-30), null, 380.0, None);
        await db.Store.UpsertAccountsAsync(ConnectionId, Owner,
        [
            new AccountRow("acc-1", AccountRow.Account, "SAVINGS", "GBP", "Renamed", "ob-test"),
            new AccountRow("card-1", AccountRow.Card, "CREDIT", "EUR", "Card", "ob-test"),
        ], None);

        var accounts = await db.Store.ListAccountsAsync(ConnectionId, None);

        Assert.Equal(["acc-1", "card-1"], accounts.Select(a => a.AccountId));
        Assert.Equal(
            new StoredAccount("acc-1", ConnectionId, Owner, "account", "SAVINGS", "GBP", "Renamed", "ob-test",
                Now.AddHours(1), Now.AddDays(-1), 3.5, 380.0, 2),
            accounts[0]);
        Assert.Equal(
            new StoredAccount("card-1", ConnectionId, Owner, "card", "CREDIT", "EUR", "Card", "ob-test", null, null, null, null, 0),
            accounts[1]);
        Assert.Empty(await db.Store.ListAccountsAsync("conn-other", None));
    }
}
