using Npgsql;

namespace Tributary.Storage;

/// <summary>The one way silos and the gateway open their PostgreSQL data source.</summary>
/// <remarks>
/// <para>
/// Our statements are few and repeated thousands of times (a section of an analysis task, a batch of a run, an outbox
/// event), so the data source prepares a statement on the server once it has been used twice on a connection
/// (<c>Max Auto Prepare</c> 128, <c>Auto Prepare Min Usages</c> 2): PostgreSQL then skips parsing and planning it.
/// </para>
/// <para>
/// It also does not reset a pooled connection when it is returned (<c>No Reset On Close</c>): the reset, a
/// <c>DISCARD ALL</c> before the next use, would drop those prepared statements each time. Nothing of ours leaves
/// session state behind: settings are <c>SET LOCAL</c>, temporary tables are <c>ON COMMIT DROP</c>, session advisory
/// locks are released in <c>finally</c> (the migrator), and <c>LISTEN</c> holds a connection of its own.
/// </para>
/// <para>A connection string that sets any of these keywords itself keeps its own value.</para>
/// </remarks>
public static class TributaryDataSource
{
    public static NpgsqlDataSource Create(string connectionString) => new NpgsqlDataSourceBuilder(Tune(connectionString)).Build();

    /// <summary>
    /// The connection string of Orleans' ADO.NET providers (membership, grain state, reminders): <see cref="Tune"/>'s
    /// settings (their pooled connections were otherwise reset, <c>DISCARD ALL</c>, after every statement), and every
    /// statement planned for its own parameters (<c>plan_cache_mode=force_custom_plan</c>).
    /// </summary>
    /// <remarks>
    /// The storage queries compare the key extension null-safely (<c>ext = @X OR (ext IS NULL AND @X IS NULL)</c>). Planned
    /// once for any parameters, as a prepared statement is after five runs, that test cannot narrow the index scan, and
    /// every string-keyed grain (a job grain per run key, so one per analysis task) has the same N0/N1: each read and write
    /// of a grain's state walked the state rows of every such grain (1.2 ms each after a few thousand tasks). Planned for
    /// the actual key it is one index probe, for a few tens of microseconds of planning.
    /// </remarks>
    public static string ForOrleans(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(Tune(connectionString));
        const string CustomPlans = "-c plan_cache_mode=force_custom_plan";
        if (builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? CustomPlans : $"{builder.Options} {CustomPlans}";
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// <paramref name="connectionString"/> with these settings added, for our data sources and for what opens its own
    /// connections from a string (see <see cref="ForOrleans"/>).
    /// </summary>
    public static string Tune(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 128;
        }

        if (!Sets(given, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!Sets(given, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static bool Sets(System.Data.Common.DbConnectionStringBuilder given, params string[] keywords) =>
        keywords.Any(given.ContainsKey);
}
