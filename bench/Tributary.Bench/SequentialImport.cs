using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Tributary.Bench;

/// <summary>
/// The baseline the <c>truelayer-import</c> benchmark compares against: the seed's import manager, which synced one
/// account after the other. For each account in order it reads the pending list, then the range's windows one after
/// another (the same windows the import asks for), and inserts every transaction with its own
/// <c>INSERT ... ON CONFLICT DO NOTHING</c> in autocommit, into its own table (<c>bench_sequential_transactions</c>),
/// never into <c>truelayer_transactions</c>.
/// </summary>
/// <remarks>Its HTTP calls and SQL are deliberately its own, not the connector's or the store's.</remarks>
internal sealed class SequentialImport(HttpClient simulator, NpgsqlDataSource dataSource)
{
    public const string Table = "bench_sequential_transactions";

    public async Task CreateTableAsync()
    {
        await using var command = dataSource.CreateCommand(
            $"""
            CREATE TABLE {Table} (
                transaction_id       text          PRIMARY KEY,
                account_id           text          NOT NULL,
                booked_at            timestamptz   NOT NULL,
                description          text          NULL,
                amount               numeric(20,4) NOT NULL,
                currency             text          NOT NULL,
                transaction_type     text          NULL,
                transaction_category text          NULL,
                merchant_name        text          NULL,
                running_balance      numeric(20,4) NULL,
                pending              boolean       NOT NULL,
                raw                  jsonb         NOT NULL
            )
            """);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Imports the accounts one after the other; returns what it did and where the time went.</summary>
    public async Task<SequentialResult> RunAsync(string accessToken, IReadOnlyList<string> accounts, DateOnly from, DateOnly to, int windowDays)
    {
        var calls = 0;
        var stored = 0;
        var seen = 0;
        var callTime = TimeSpan.Zero;
        var insertTime = TimeSpan.Zero;
        var watch = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync();
        foreach (var account in accounts)
        {
            var paths = new List<(string Path, bool Pending)> { ($"accounts/{account}/transactions/pending", true) };
            for (var windowFrom = from; windowFrom <= to; windowFrom = windowFrom.AddDays(windowDays))
            {
                var windowTo = windowFrom.AddDays(windowDays - 1) is var end && end < to ? end : to;
                paths.Add((string.Create(CultureInfo.InvariantCulture, $"accounts/{account}/transactions?from={windowFrom:yyyy-MM-dd}&to={windowTo:yyyy-MM-dd}"), false));
            }

            foreach (var (path, pending) in paths)
            {
                var call = Stopwatch.StartNew();
                using var request = new HttpRequestMessage(HttpMethod.Get, "truelayer/api/data/v1/" + path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                using var response = await simulator.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}: {body}");
                }

                using var document = JsonDocument.Parse(body);
                calls++;
                callTime += call.Elapsed;

                var insert = Stopwatch.StartNew();
                foreach (var transaction in document.RootElement.GetProperty("results").EnumerateArray())
                {
                    seen++;
                    stored += await InsertAsync(connection, account, transaction, pending);
                }

                insertTime += insert.Elapsed;
            }
        }

        return new SequentialResult(accounts.Count, calls, seen, stored, watch.Elapsed.TotalSeconds, callTime.TotalSeconds, insertTime.TotalSeconds);
    }

    public async Task<long> CountAsync()
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {Table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> InsertAsync(NpgsqlConnection connection, string account, JsonElement t, bool pending)
    {
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {Table} (transaction_id, account_id, booked_at, description, amount, currency, transaction_type,
                                 transaction_category, merchant_name, running_balance, pending, raw)
            VALUES (@id, @account, @booked, @description, @amount, @currency, @type, @category, @merchant, @balance, @pending, @raw)
            ON CONFLICT DO NOTHING
            """,
            connection);
        insert.Parameters.AddWithValue("id", t.GetProperty("transaction_id").GetString()!);
        insert.Parameters.AddWithValue("account", account);
        insert.Parameters.AddWithValue("booked", t.GetProperty("timestamp").GetDateTimeOffset().ToUniversalTime());
        insert.Parameters.AddWithValue("description", Text(t, "description"));
        insert.Parameters.AddWithValue("amount", t.GetProperty("amount").GetDecimal());
        insert.Parameters.AddWithValue("currency", t.GetProperty("currency").GetString()!);
        insert.Parameters.AddWithValue("type", Text(t, "transaction_type"));
        insert.Parameters.AddWithValue("category", Text(t, "transaction_category"));
        insert.Parameters.AddWithValue("merchant", Text(t, "merchant_name"));
        insert.Parameters.AddWithValue("balance",
            t.TryGetProperty("running_balance", out var balance) && balance.ValueKind == JsonValueKind.Object ? balance.GetProperty("amount").GetDecimal() : DBNull.Value);
        insert.Parameters.AddWithValue("pending", pending);
        insert.Parameters.AddWithValue("raw", NpgsqlDbType.Jsonb, t.GetRawText());
        return await insert.ExecuteNonQueryAsync();
    }

    private static object Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : DBNull.Value;
}

/// <summary>What the sequential loop did: accounts, calls, transactions read and stored, and its time split.</summary>
internal sealed record SequentialResult(int Accounts, int Calls, int Transactions, int Stored, double Seconds, double CallSeconds, double InsertSeconds);
