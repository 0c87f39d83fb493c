using System.Text.Json;
using Npgsql;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs.Tests;

/// <summary>Reads what a run left in the database.</summary>
public static class RunAssertions
{
    public static async Task<JobRunRecord> WaitForFinalAsync(string connectionString, Guid runId, TimeSpan? timeout = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new JobRunStore(dataSource);
        return await Eventually.ValueAsync(
            async () => await store.GetRunAsync(runId, CancellationToken.None) is { } run && RunStatus.IsFinal(run.Status) ? run : null,
            $"run {runId} reaches a final status", timeout);
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The first column of every row of <paramref name="sql"/>.</summary>
    public static async Task<IReadOnlyList<T>> ScalarsAsync<T>(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>The CloudEvents of a run, oldest first, as parsed JSON.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EventsAsync(string connectionString, Guid runId)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT event::text FROM event_outbox WHERE subject = @run ORDER BY sequence");
        command.Parameters.AddWithValue("run", runId.ToString());
        var events = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }

        return events;
    }
}
