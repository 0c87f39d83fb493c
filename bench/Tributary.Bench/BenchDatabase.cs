using Npgsql;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>The end of every benchmark's database: dropped, or kept for a look when <c>--keep</c> was given.</summary>
internal static class BenchDatabase
{
    public static async Task ReleaseAsync(PostgresServer server, string connectionString, bool keep)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (keep)
        {
            Console.WriteLine($"Kept the database: {database}");
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
