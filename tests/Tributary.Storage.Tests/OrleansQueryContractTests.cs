using System.Data;

namespace Tributary.Storage.Tests;

/// <summary>
/// The tricky parts of the Orleans 10.4.2 query contract, checked directly against our texts with parameters named
/// and typed as the providers send them.
/// </summary>
public sealed class OrleansQueryContractTests
{
    private const string Cluster = "contract-cluster";
    private const string ServiceIdValue = "contract-service";
    private static readonly DateTime Started = new(2026, 11, 23, 20, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_version_row_is_created_once_and_reported_as_existing_afterwards()
    {
        var query = new OrleansQuery(await MigratedDatabase.CreateAsync("membership version"));

        Assert.True(await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId()));
        Assert.False(await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId()));

        var row = Assert.Single(await query.RunAsync("MembershipReadAllKey", DeploymentId()));
        Assert.Equal(0, row["Version"]);
    }

    [Fact]
    public async Task Reading_all_members_of_an_empty_cluster_gives_one_row_with_only_the_version()
    {
        var query = new OrleansQuery(await MigratedDatabase.CreateAsync("membership empty"));
        await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId());

        var all = Assert.Single(await query.RunAsync("MembershipReadAllKey", DeploymentId()));
        var one = Assert.Single(await query.RunAsync("MembershipReadRowKey", [DeploymentId(), .. SiloKey(11111, 1)]));

        foreach (var row in new[] { all, one })
        {
            Assert.Equal(0, row["Version"]);
            Assert.Null(row["StartTime"]);
            Assert.Null(row["Address"]);
            Assert.Null(row["Status"]);
        }
    }

    [Fact]
    public async Task Inserting_a_member_with_a_stale_version_returns_false_and_changes_nothing()
    {
        var connectionString = await MigratedDatabase.CreateAsync("membership insert");
        var query = new OrleansQuery(connectionString);
        await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId());

        Assert.False(await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 11111, version: 5)));
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_member"));
        Assert.Equal(0, Assert.Single(await query.RunAsync("MembershipReadAllKey", DeploymentId()))["Version"]);

        Assert.True(await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 11111, version: 0)));
        // The same silo again, even with the now-current version, is refused without a change.
        Assert.False(await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 11111, version: 1)));

        var member = Assert.Single(await query.RunAsync("MembershipReadAllKey", DeploymentId()));
        Assert.Equal(1, member["Version"]);
        Assert.Equal("10.0.0.1", member["Address"]);
        Assert.Equal(11111, member["Port"]);
        Assert.Equal(2, member["Status"]);
        Assert.Equal(30000, member["ProxyPort"]);
        Assert.Null(member["SuspectTimes"]);
        Assert.Equal(Started, ((DateTime)member["StartTime"]!).ToUniversalTime());
    }

    [Fact]
    public async Task Updating_a_member_needs_the_current_version_and_heartbeats_leave_the_version_alone()
    {
        var connectionString = await MigratedDatabase.CreateAsync("membership update");
        var query = new OrleansQuery(connectionString);
        await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId());
        await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 11111, version: 0));
        var alive = Started.AddMinutes(1);

        Assert.False(await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(11111, status: 3, suspectTimes: "", alive, version: 0)));
        Assert.False(await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(22222, status: 3, suspectTimes: "", alive, version: 1)));
        Assert.True(await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(11111, status: 3, suspectTimes: "", alive, version: 1)));

        await query.RunAsync("UpdateIAmAlivetimeKey", [DeploymentId(), .. SiloKey(11111, 1), ("IAmAliveTime", DbType.DateTime, alive.AddMinutes(1))]);

        var member = Assert.Single(await query.RunAsync("MembershipReadRowKey", [DeploymentId(), .. SiloKey(11111, 1)]));
        Assert.Equal(2, member["Version"]);
        Assert.Equal(3, member["Status"]);
        Assert.Equal("", member["SuspectTimes"]);
        Assert.Equal(alive.AddMinutes(1), ((DateTime)member["IAmAliveTime"]!).ToUniversalTime());
    }

    [Fact]
    public async Task Gateways_are_active_members_with_a_proxy_port_and_cleanup_removes_only_unchanged_dead_rows()
    {
        var connectionString = await MigratedDatabase.CreateAsync("membership gateways");
        var query = new OrleansQuery(connectionString);
        await query.RunBooleanAsync("InsertMembershipVersionKey", DeploymentId());
        await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 11111, version: 0));
        await query.RunBooleanAsync("InsertMembershipKey", InsertParameters(port: 22222, version: 1, proxyPort: 0));
        await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(11111, status: 3, suspectTimes: null, Started, version: 2));
        await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(22222, status: 3, suspectTimes: null, Started, version: 3));

        var gateway = Assert.Single(await query.RunAsync("GatewaysQueryKey", DeploymentId(), ("Status", DbType.Int32, 3)));
        Assert.Equal("10.0.0.1", gateway["Address"]);
        Assert.Equal(30000, gateway["ProxyPort"]);
        Assert.Equal(1, gateway["Generation"]);

        await query.RunBooleanAsync("UpdateMembershipKey", UpdateParameters(11111, status: 6, suspectTimes: null, Started, version: 4));
        (string, DbType, object?)[] cleanup(DateTime aliveTime) =>
        [
            DeploymentId(), .. SiloKey(11111, 1), ("SuspectTimes", DbType.String, null),
            ("StartTime", DbType.DateTime, Started), ("IAmAliveTime", DbType.DateTime, aliveTime),
        ];

        await query.RunAsync("CleanupDefunctSiloEntryKey", cleanup(Started.AddSeconds(1)));
        Assert.Equal(2L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_member"));
        await query.RunAsync("CleanupDefunctSiloEntryKey", cleanup(Started));
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_member"));
        Assert.Equal(5, Assert.Single(await query.RunAsync("MembershipReadAllKey", DeploymentId()))["Version"]);

        await query.RunAsync("DeleteMembershipTableEntriesKey", DeploymentId());
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_member"));
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_membership_version"));
    }

    [Fact]
    public async Task A_first_write_without_an_etag_succeeds_once_and_a_stale_etag_gets_no_row()
    {
        var connectionString = await MigratedDatabase.CreateAsync("storage write");
        var query = new OrleansQuery(connectionString);

        var first = Assert.Single(await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [1, 2, 3])));
        Assert.Equal(1, first["NewGrainStateVersion"]);
        Assert.Empty(await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [4])));

        var second = Assert.Single(await query.RunAsync("WriteToStorageKey", StorageParameters(version: 1, payload: [5, 6])));
        Assert.Equal(2, second["NewGrainStateVersion"]);
        Assert.Empty(await query.RunAsync("WriteToStorageKey", StorageParameters(version: 1, payload: [7])));

        var read = Assert.Single(await query.RunAsync("ReadFromStorageKey", StorageParameters(version: null, payload: null)));
        Assert.Equal(new byte[] { 5, 6 }, read["PayloadBinary"]);
        Assert.Equal(2, read["Version"]);
        Assert.Equal(1L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_grain_state"));
    }

    [Fact]
    public async Task A_null_extension_and_a_present_extension_are_different_grains()
    {
        var query = new OrleansQuery(await MigratedDatabase.CreateAsync("storage extension"));

        await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [1], extension: null));
        await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [2], extension: "ext"));

        Assert.Equal(new byte[] { 1 }, Assert.Single(await query.RunAsync("ReadFromStorageKey", StorageParameters(null, null, extension: null)))["PayloadBinary"]);
        Assert.Equal(new byte[] { 2 }, Assert.Single(await query.RunAsync("ReadFromStorageKey", StorageParameters(null, null, extension: "ext")))["PayloadBinary"]);
    }

    [Fact]
    public async Task Clearing_keeps_the_row_and_moves_the_version_and_deleting_needs_the_current_version()
    {
        var connectionString = await MigratedDatabase.CreateAsync("storage clear");
        var query = new OrleansQuery(connectionString);
        await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [1]));

        Assert.Empty(await query.RunAsync("ClearStorageKey", StorageParameters(version: 7, payload: null)));
        Assert.Equal(2, Assert.Single(Assert.Single(await query.RunAsync("ClearStorageKey", StorageParameters(version: 1, payload: null))).Values));

        var cleared = Assert.Single(await query.RunAsync("ReadFromStorageKey", StorageParameters(version: null, payload: null)));
        Assert.Null(cleared["PayloadBinary"]);
        Assert.Equal(2, cleared["Version"]);
        // A cleared row still exists, so a write without an ETag is a conflict.
        Assert.Empty(await query.RunAsync("WriteToStorageKey", StorageParameters(version: null, payload: [9])));

        Assert.Empty(await query.RunAsync("DeleteStorageKey", StorageParameters(version: 1, payload: null)));
        Assert.Equal(3, Assert.Single(Assert.Single(await query.RunAsync("DeleteStorageKey", StorageParameters(version: 2, payload: null))).Values));
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_grain_state"));
    }

    [Fact]
    public async Task Range_reads_compare_signed_hashes_and_the_second_range_wraps_around()
    {
        var query = new OrleansQuery(await MigratedDatabase.CreateAsync("reminder ranges"));
        int[] hashes = [int.MinValue, -5, 0, 5, int.MaxValue];
        foreach (var hash in hashes)
        {
            var version = Assert.Single(await query.RunAsync("UpsertReminderRowKey", ReminderParameters($"ticker/h{hash}", "tick", hash)));
            Assert.Equal(0, version["Version"]);
        }

        Assert.Equal(new[] { -5, 0, 5 }, await RangeAsync(query, "ReadRangeRows1Key", -10, 5));
        Assert.Equal(new[] { -5, 0, 5, int.MaxValue }, await RangeAsync(query, "ReadRangeRows1Key", int.MinValue, int.MaxValue));
        Assert.Equal(new[] { int.MinValue, -5, int.MaxValue }, await RangeAsync(query, "ReadRangeRows2Key", 5, -5));
        Assert.Equal(new[] { int.MinValue, -5, 0, 5, int.MaxValue }, await RangeAsync(query, "ReadRangeRows2Key", 0, 0));
    }

    [Fact]
    public async Task Upserting_a_reminder_changes_its_version_and_a_delete_needs_the_current_one()
    {
        var connectionString = await MigratedDatabase.CreateAsync("reminder upsert");
        var query = new OrleansQuery(connectionString);

        Assert.Equal(0, Assert.Single(await query.RunAsync("UpsertReminderRowKey", ReminderParameters("ticker/t1", "tick", 42)))["Version"]);
        Assert.Equal(1, Assert.Single(await query.RunAsync("UpsertReminderRowKey", ReminderParameters("ticker/t1", "tick", 42, periodMs: 3_000_000_000L)))["Version"]);

        var row = Assert.Single(await query.RunAsync("ReadReminderRowKey", Service(), ("GrainId", DbType.AnsiString, "ticker/t1"), ("ReminderName", DbType.String, "tick")));
        Assert.Equal(3_000_000_000L, row["Period"]);
        Assert.Empty(await query.RunAsync("ReadReminderRowKey", Service(), ("GrainId", DbType.AnsiString, "ticker/t1"), ("ReminderName", DbType.String, "other")));

        Assert.False(await query.RunBooleanAsync("DeleteReminderRowKey", ReminderKey("ticker/t1", "tick", version: 0)));
        Assert.True(await query.RunBooleanAsync("DeleteReminderRowKey", ReminderKey("ticker/t1", "tick", version: 1)));
        Assert.Empty(await query.RunAsync("ReadReminderRowsKey", Service(), ("GrainId", DbType.AnsiString, "ticker/t1")));
        Assert.Equal(0L, await MigratedDatabase.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleans_reminder"));
    }

    private static async Task<int[]> RangeAsync(OrleansQuery query, string key, int begin, int end)
    {
        var rows = await query.RunAsync(key, Service(), ("BeginHash", DbType.Int32, begin), ("EndHash", DbType.Int32, end));
        return [.. rows.Select(r => int.Parse(((string)r["GrainId"]!)["ticker/h".Length..], System.Globalization.CultureInfo.InvariantCulture)).Order()];
    }

    private static (string, DbType, object?) DeploymentId() => ("DeploymentId", DbType.String, Cluster);

    private static (string, DbType, object?) Service() => ("ServiceId", DbType.String, ServiceIdValue);

    private static (string, DbType, object?)[] SiloKey(int port, int generation) =>
    [
        ("Address", DbType.AnsiString, "10.0.0.1"),
        ("Port", DbType.Int32, port),
        ("Generation", DbType.Int32, generation),
    ];

    private static (string, DbType, object?)[] InsertParameters(int port, int version, int proxyPort = 30000) =>
    [
        DeploymentId(), .. SiloKey(port, 1),
        ("SiloName", DbType.String, $"silo-{port}"),
        ("HostName", DbType.String, "host"),
        ("Status", DbType.Int32, 2),
        ("ProxyPort", DbType.Int32, proxyPort),
        ("StartTime", DbType.DateTime, Started),
        ("IAmAliveTime", DbType.DateTime, Started),
        ("Version", DbType.Int32, version),
    ];

    private static (string, DbType, object?)[] UpdateParameters(int port, int status, string? suspectTimes, DateTime aliveTime, int version) =>
    [
        DeploymentId(), .. SiloKey(port, 1),
        ("Status", DbType.Int32, status),
        ("SuspectTimes", DbType.String, suspectTimes),
        ("IAmAliveTime", DbType.DateTime, aliveTime),
        ("Version", DbType.Int32, version),
    ];

    private static (string, DbType, object?)[] StorageParameters(int? version, byte[]? payload, string? extension = null) =>
    [
        ("GrainIdHash", DbType.Int32, -123),
        ("GrainIdN0", DbType.Int64, 0L),
        ("GrainIdN1", DbType.Int64, 193L),
        ("GrainTypeHash", DbType.Int32, 456),
        ("GrainTypeString", DbType.String, "note"),
        ("GrainIdExtensionString", DbType.String, extension),
        Service(),
        ("GrainStateVersion", DbType.Int32, version),
        ("PayloadBinary", DbType.Binary, payload),
    ];

    private static (string, DbType, object?)[] ReminderParameters(string grainId, string name, int hash, long periodMs = 60_000) =>
    [
        Service(),
        ("GrainId", DbType.AnsiString, grainId),
        ("ReminderName", DbType.String, name),
        ("StartTime", DbType.DateTime, Started),
        periodMs <= int.MaxValue ? ("Period", DbType.Int32, (int)periodMs) : ("Period", DbType.Int64, periodMs),
        ("GrainHash", DbType.Int32, hash),
    ];

    private static (string, DbType, object?)[] ReminderKey(string grainId, string name, int version) =>
    [
        Service(),
        ("GrainId", DbType.AnsiString, grainId),
        ("ReminderName", DbType.String, name),
        ("Version", DbType.Int32, version),
    ];
}
