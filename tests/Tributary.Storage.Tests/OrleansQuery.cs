using System.Data;
using Npgsql;

namespace Tributary.Storage.Tests;

/// <summary>
/// Runs a catalogue text the way the Orleans ADO.NET providers do: looked up by key, named parameters without
/// <c>@</c> typed by <see cref="DbType"/>, read with a data reader over every result set.
/// </summary>
internal sealed class OrleansQuery(string connectionString)
{
    public async Task<List<Dictionary<string, object?>>> RunAsync(string key, params (string Name, DbType Type, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string text;
        await using (var lookup = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = @key", connection))
        {
            lookup.Parameters.AddWithValue("key", key);
            text = (string)(await lookup.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No query text for {key}."));
        }

        await using var command = new NpgsqlCommand(text, connection);
        foreach (var (name, type, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }
        }
        while (await reader.NextResultAsync());

        return rows;
    }

    /// <summary>The provider's "single boolean" read: exactly one column, the first row, never NULL.</summary>
    public async Task<bool> RunBooleanAsync(string key, params (string Name, DbType Type, object? Value)[] parameters)
    {
        var rows = await RunAsync(key, parameters);
        var first = Assert.Single(rows);
        var value = Assert.Single(first.Values);
        Assert.NotNull(value);
        return Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
