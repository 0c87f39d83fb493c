using Npgsql;
using Tributary.Testing;

namespace Tributary.Storage.Tests;

/// <summary>A fresh database per test, optionally with every migration applied.</summary>
internal static class MigratedDatabase
{
    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateEmptyAsync(string purpose)
    {
        var server = await PostgresServer.GetAsync();
        return await server.CreateDatabaseAsync(purpose);
    }

    /// <summary>Creates a database, applies every migration and returns its connection string.</summary>
    public static async Task<string> CreateAsync(string purpose)
    {
        var server = await PostgresServer.GetAsync();
        return await server.CreateMigratedDatabaseAsync(purpose);
    }

    /// <summary>Runs one scalar query (for assertions about rows).</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }

    /// <summary>Runs a statement and returns the number of rows it affected.</summary>
    public static async Task<int> ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }
}
