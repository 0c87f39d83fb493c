using Npgsql;
using Tributary.Storage.TrueLayer;

namespace Tributary.Storage.Tests.TrueLayer;

/// <summary>A migrated database with a <see cref="TrueLayerStore"/> and one connection (<see cref="ConnectionId"/>) of <see cref="Owner"/>.</summary>
internal sealed class TrueLayerDatabase : IAsyncDisposable
{
    public const string Owner = "owner-a";
    public const string ConnectionId = "conn-1";

    private TrueLayerDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
        Store = new TrueLayerStore(dataSource);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public TrueLayerStore Store { get; }

    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static async Task<TrueLayerDatabase> CreateAsync(string purpose, params string[] accountIds)
    {
        var connectionString = await MigratedDatabase.CreateAsync(purpose);
        var database = new TrueLayerDatabase(connectionString, NpgsqlDataSource.Create(connectionString));
        await database.Store.CreateConnectionAsync(Connection(ConnectionId, Owner), CancellationToken.None);
        if (accountIds.Length > 0)
        {
            await database.Store.UpsertAccountsAsync(ConnectionId, Owner,
                [.. accountIds.Select(id => new AccountRow(id, AccountRow.Account, "TRANSACTION", "GBP", $"Account {id}", "ob-test"))], CancellationToken.None);
        }

        return database;
    }

    public static NewConnection Connection(string connectionId, string owner) =>
        new(connectionId, owner, "ob-test", "Test Bank", "cred-1", Now.AddDays(90), "CfDJ8-refresh-ciphertext", "CfDJ8-access-ciphertext", Now.AddHours(1));

    public static NewImportJob Job(Guid jobId, params string[] accountIds) => Job(jobId, Owner, Now, accountIds);

    public static NewImportJob Job(Guid jobId, string owner, DateTimeOffset createdAt, params string[] accountIds) =>
        new(jobId, owner, ConnectionId, new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), accountIds, true, 500, 4, false,
            accountIds.Length, 1_200, 90, 1.2345m, createdAt);

    public static TransactionRow Tx(string dedupKey, bool pending = false, string? transactionId = null, decimal amount = -12.50m) =>
        new(dedupKey, transactionId ?? $"tx-{dedupKey}", $"npt-{dedupKey}", $"pt-{dedupKey}", new DateTimeOffset(2024, 6, 1, 9, 30, 0, TimeSpan.Zero),
            $"Purchase {dedupKey}", amount, "GBP", "DEBIT", "PURCHASE", ["Shopping", "General"], "Shop", 100.25m, "GBP", pending,
            $$"""{"transaction_id": "{{transactionId ?? $"tx-{dedupKey}"}}", "pending": {{(pending ? "true" : "false")}}}""");

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => MigratedDatabase.ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <summary>Creates a job over the accounts and starts each (the state an import worker commits chunks in).</summary>
    public async Task StartJobAsync(Guid jobId, params string[] accountIds)
    {
        await Store.CreateImportJobAsync(Job(jobId, accountIds), CancellationToken.None);
        foreach (var account in accountIds)
        {
            await Store.StartAccountAsync(jobId, account, 12, new DateOnly(2024, 1, 1), Now, CancellationToken.None);
        }
    }

    public async Task<ImportProgress> ProgressAsync(Guid jobId, string accountId) =>
        (await Store.GetProgressAsync(jobId, CancellationToken.None)).Single(p => p.AccountId == accountId);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
