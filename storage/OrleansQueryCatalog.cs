using Npgsql;

namespace Tributary.Storage;

/// <summary>
/// The <c>OrleansQuery</c> catalogue: the SQL texts, by key, that the Orleans ADO.NET clustering, persistence and
/// reminder providers run. Our migrations fill it; this class checks it is complete.
/// </summary>
/// <remarks>
/// The providers read the catalogue once when they start and stop the silo if a key is missing, with an exception
/// that doesn't say how to fix it. Checking first turns that into a sentence that does.
/// </remarks>
public static class OrleansQueryCatalog
{
    /// <summary>Keys the clustering provider needs, on silos and clients alike.</summary>
    public static IReadOnlyList<string> ClusteringKeys { get; } =
    [
        "UpdateIAmAlivetimeKey",
        "InsertMembershipVersionKey",
        "InsertMembershipKey",
        "UpdateMembershipKey",
        "MembershipReadRowKey",
        "MembershipReadAllKey",
        "DeleteMembershipTableEntriesKey",
        "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    /// <summary>
    /// Keys the grain storage provider needs; <c>DeleteStorageKey</c> is included because a provider may be configured
    /// with <c>DeleteStateOnClear</c>.
    /// </summary>
    public static IReadOnlyList<string> PersistenceKeys { get; } =
    [
        "WriteToStorageKey",
        "ReadFromStorageKey",
        "ClearStorageKey",
        "DeleteStorageKey",
    ];

    /// <summary>Keys the reminder service needs.</summary>
    public static IReadOnlyList<string> ReminderKeys { get; } =
    [
        "UpsertReminderRowKey",
        "ReadReminderRowsKey",
        "ReadReminderRowKey",
        "ReadRangeRows1Key",
        "ReadRangeRows2Key",
        "DeleteReminderRowKey",
        "DeleteReminderRowsKey",
    ];

    /// <summary>Every key the three providers require (matched exactly and case-sensitively, as the providers do).</summary>
    /// <remarks>
    /// <c>CleanupDefunctSiloEntryKey</c> is optional to Orleans, so it is not listed, although our migrations provide it.
    /// </remarks>
    public static IReadOnlyList<string> RequiredKeys { get; } = [.. ClusteringKeys, .. PersistenceKeys, .. ReminderKeys];

    /// <summary>Checks that the database holds a query text for every key in <see cref="RequiredKeys"/>.</summary>
    /// <exception cref="OrleansSchemaIncompleteException">The table or some keys are missing; the message names them.</exception>
    public static async Task EnsureCompleteAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var present = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // Unquoted, like the providers' own lookup, so this finds exactly the table they will find.
            await using var command = dataSource.CreateCommand("SELECT querykey FROM orleansquery WHERE btrim(querytext) <> ''");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                present.Add(reader.GetString(0));
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            var database = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database;
            throw new OrleansSchemaIncompleteException(
                $"The OrleansQuery table does not exist in database {database} (the Orleans providers look for orleansquery on the search_path). " +
                "Run `silo migrate` or check the storage migrations.",
                exception)
            {
                MissingKeys = RequiredKeys,
            };
        }

        var missing = RequiredKeys.Where(key => !present.Contains(key)).ToList();
        if (missing.Count > 0)
        {
            throw new OrleansSchemaIncompleteException(
                $"The OrleansQuery table lacks query keys the Orleans providers need: {string.Join(", ", missing)}. " +
                "Run `silo migrate` or check the storage migrations.")
            {
                MissingKeys = missing,
            };
        }
    }
}
