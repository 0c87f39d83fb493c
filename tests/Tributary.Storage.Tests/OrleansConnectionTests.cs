using Npgsql;

namespace Tributary.Storage.Tests;

/// <summary>
/// Orleans' providers connect with <see cref="TributaryDataSource.ForOrleans"/>: their prepared statements are planned for
/// each call's own key, so a grain's state is one index probe however many string-keyed grains share its N0/N1.
/// </summary>
public sealed class OrleansConnectionTests
{
    [Fact]
    public async Task A_grain_state_read_prepared_and_run_many_times_probes_the_whole_natural_key_among_many_string_keyed_grains()
    {
        var connectionString = await MigratedDatabase.CreateAsync("orleans_custom_plans");
        await MigratedDatabase.ExecuteAsync(connectionString,
            """
            INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
            SELECT 'service', 'job', 0, 0, 'analysis_task/' || i, '\x00', 1 FROM generate_series(1, 5000) i;
            """);
        var read = await MigratedDatabase.ScalarAsync<string>(connectionString, "SELECT querytext FROM orleansquery WHERE querykey = 'ReadFromStorageKey'");

        await using var connection = new NpgsqlConnection(TributaryDataSource.ForOrleans(connectionString));
        await connection.OpenAsync();
        await using (var show = new NpgsqlCommand("SHOW plan_cache_mode", connection))
        {
            Assert.Equal("force_custom_plan", await show.ExecuteScalarAsync());
        }

        // The provider's own text as a prepared statement, run past the five runs after which PostgreSQL may switch a
        // prepared statement to one plan for any parameters (which shows them as $n): planned for each run's own key.
        const string key = "analysis_task/4242";
        var positional = read.Replace("@ServiceId", "$1", StringComparison.Ordinal).Replace("@GrainTypeString", "$2", StringComparison.Ordinal)
            .Replace("@GrainIdN0", "$3", StringComparison.Ordinal).Replace("@GrainIdN1", "$4", StringComparison.Ordinal)
            .Replace("@GrainIdExtensionString", "$5", StringComparison.Ordinal);
        var execute = $"EXECUTE read_state('service', 'job', 0, 0, '{key}')";
        await using (var prepare = new NpgsqlCommand($"PREPARE read_state(text, text, bigint, bigint, text) AS {positional}", connection))
        {
            await prepare.ExecuteNonQueryAsync();
        }

        for (var i = 0; i < 8; i++)
        {
            await using var run = new NpgsqlCommand(execute, connection);
            await using var reader = await run.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), $"run {i} found no row for the grain");
        }

        var plan = new List<string>();
        await using (var explain = new NpgsqlCommand($"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {execute}", connection))
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0).Trim());
            }
        }

        var text = string.Join('\n', plan);
        Assert.True(plan.Any(line => line.StartsWith("Index Cond:", StringComparison.Ordinal) && line.Contains($"(grain_id_extension = '{key}'::text)", StringComparison.Ordinal)),
            $"the read is not one probe of the whole key, planned for its own:\n{text}");
        Assert.DoesNotContain("Rows Removed by Filter", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_of_its_own_are_kept_and_a_plan_cache_mode_it_sets_wins()
    {
        var kept = new NpgsqlConnectionStringBuilder(TributaryDataSource.ForOrleans("Host=127.0.0.1;Options=-c statement_timeout=5000"));
        Assert.Equal("-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan", kept.Options);

        var own = new NpgsqlConnectionStringBuilder(TributaryDataSource.ForOrleans("Host=127.0.0.1;Options=-c plan_cache_mode=auto"));
        Assert.Equal("-c plan_cache_mode=auto", own.Options);
    }
}
