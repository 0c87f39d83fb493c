using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Tributary.Silo;
using Tributary.Storage.Jobs;

namespace Tributary.Scheduling.Tests;

/// <summary>
/// A TestingHost cluster wired like production (<see cref="TributarySilo.AddTributary"/> on a migrated
/// PostgreSQL database) plus the scheduling domain, the test jobs and a fake clock for the schedules.
/// </summary>
/// <remarks>
/// The heartbeat defaults to half an hour of real time, so the tests' own <c>Tick</c> calls are the only
/// ticks and outcomes are exact; the reminder test asks for one second.
/// </remarks>
public sealed class ScheduleTestCluster : IAsyncDisposable
{
    /// <summary>Where the fake clock starts: 1 May 2026, 05:00 in Zurich (summer time).</summary>
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 3, 0, 0, TimeSpan.Zero);

    private const string ConnectionStringKey = "Database:ConnectionString";
    private const string ContextKey = "Test:Context";
    private static readonly ConcurrentDictionary<string, (FakeTimeProvider Time, TestJobContext Jobs)> Contexts = new();

    private readonly string _contextId;

    private ScheduleTestCluster(TestCluster cluster, string connectionString, string contextId, FakeTimeProvider time, TestJobContext jobs)
    {
        Cluster = cluster;
        ConnectionString = connectionString;
        _contextId = contextId;
        Time = time;
        Jobs = jobs;
    }

    public TestCluster Cluster { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Time { get; }
    public TestJobContext Jobs { get; }
    public IGrainFactory Grains => Cluster.Client;

    public IScheduleGrain Schedule(string job) => Grains.GetGrain<IScheduleGrain>(ScheduleKey.For(job));

    /// <summary>Creates a migrated database and starts a cluster on it.</summary>
    /// <param name="start">Where the fake clock starts (default <see cref="Start"/>); it only moves forward.</param>
    public static async Task<ScheduleTestCluster> StartAsync(
        string purpose, TimeSpan? heartbeat = null, Dictionary<string, string>? settings = null, DateTimeOffset? start = null)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateMigratedDatabaseAsync(purpose);

        return await StartAsync(connectionString, $"schedules-{Guid.NewGuid():N}", new FakeTimeProvider(start ?? Start), new TestJobContext(), heartbeat, settings);
    }

    /// <summary>A new cluster on the same database, service id and clock: a restart of the whole service.</summary>
    public async Task<ScheduleTestCluster> RestartAsync(TimeSpan? heartbeat = null, Dictionary<string, string>? settings = null)
    {
        var serviceId = Cluster.Options.ServiceId;
        await DisposeAsync();
        return await StartAsync(ConnectionString, serviceId, Time, Jobs, heartbeat, settings);
    }

    /// <summary>The job's runs, oldest first.</summary>
    public async Task<IReadOnlyList<JobRunRecord>> RunsAsync(string job)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var runs = await new JobRunStore(dataSource).ListRunsAsync(job, null, 500, CancellationToken.None);
        return runs.OrderBy(r => r.CreatedAt).ThenBy(r => r.ScheduledFor).ToList();
    }

    /// <summary>Waits (real time: the run's loop runs on the thread pool) until the run is final and returns it.</summary>
    public async Task<JobRunRecord> WaitForFinalAsync(Guid runId)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var store = new JobRunStore(dataSource);
        return await Eventually.ValueAsync(
            async () => await store.GetRunAsync(runId, CancellationToken.None) is { } run && RunStatus.IsFinal(run.Status) ? run : null,
            $"run {runId} reaches a final status");
    }

    /// <summary>
    /// Waits until the job grain has no run under way. A run is final in the database a moment before its grain
    /// hears so (a one-way call); a trigger in between is answered "busy", which is right but not what a test wants.
    /// </summary>
    public async Task WaitUntilIdleAsync(string job)
    {
        var grain = Grains.GetGrain<IJobGrain>(JobKey.For(job));
        await Eventually.TrueAsync(async () => (await grain.GetSnapshot()).CurrentRunId is null, $"job {job} has no run under way");
    }

    /// <summary>How many heartbeat reminders the job's schedule has in the reminder table (0 or 1).</summary>
    public async Task<long> HeartbeatsAsync(string job)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleans_reminder WHERE service_id = @service AND reminder_name = @name AND grain_id LIKE @grain", connection);
        command.Parameters.AddWithValue("service", Cluster.Options.ServiceId);
        command.Parameters.AddWithValue("name", ScheduleGrain.HeartbeatReminder);
        command.Parameters.AddWithValue("grain", $"%/{ScheduleKey.For(job)}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Contexts.TryRemove(_contextId, out _))
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    private static async Task<ScheduleTestCluster> StartAsync(
        string connectionString, string serviceId, FakeTimeProvider time, TestJobContext jobs, TimeSpan? heartbeat, Dictionary<string, string>? settings)
    {
        var contextId = Guid.NewGuid().ToString("N");
        Contexts[contextId] = (time, jobs);
        var period = heartbeat ?? TimeSpan.FromMinutes(30);
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = $"schedules-{Guid.NewGuid():N}";
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.Properties[ContextKey] = contextId;
        builder.Properties["Silo:MinimumReminderPeriod"] = "00:00:01";
        builder.Properties["JobRuntime:WatchdogPeriod"] = "00:00:01";
        builder.Properties["Scheduling:HeartbeatPeriod"] = period.ToString("c");
        builder.Properties["Scheduling:MisfireGrace"] = (period > TimeSpan.FromMinutes(2) ? period : TimeSpan.FromMinutes(2)).ToString("c");
        foreach (var (key, value) in settings ?? [])
        {
            builder.Properties[key] = value;
        }

        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            Contexts.TryRemove(contextId, out _);
            await cluster.DisposeAsync();
            throw;
        }

        return new ScheduleTestCluster(cluster, connectionString, contextId, time, jobs);
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var (time, jobs) = Contexts[configuration[ContextKey]!];
            siloBuilder.AddTributary(configuration, configuration[ConnectionStringKey]!);
            siloBuilder.AddSchedulingDomain();
            siloBuilder.Services.AddSingleton<TimeProvider>(time);
            siloBuilder.Services.AddSingleton(jobs);
            siloBuilder.Services.AddJob<ReportJob>();
            siloBuilder.Services.AddJob<DigestJob>();
            siloBuilder.Services.AddJob<GatedJob>();
        }
    }
}
