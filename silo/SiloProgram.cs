using Microsoft.Extensions.Options;
using Npgsql;
using Tributary.ServiceDefaults;
using Tributary.Storage;
using Tributary.Storage.Configuration;
using Tributary.Storage.FinTrack;

namespace Tributary.Silo;

/// <summary>
/// The silo process. <c>Tributary.Silo</c> runs a silo; <c>Tributary.Silo migrate</c> only brings the
/// database schema up to date and exits; <c>Tributary.Silo wait-for-schema</c> waits until another process (the
/// Kubernetes migration Job) has applied every migration, applying none itself; <c>Tributary.Silo seed-demo</c> migrates
/// and, on an empty database, loads the FinTrack demo data set. Exit codes: 0 ok, 1 runtime failure, 2 bad configuration.
/// </summary>
public static partial class SiloProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
        if (command is not ("run" or "migrate" or "wait-for-schema" or "seed-demo"))
        {
            await Console.Error.WriteLineAsync($"Unknown command '{command}'. Use 'run' (default), 'migrate', 'wait-for-schema' or 'seed-demo'.");
            return 2;
        }

        // Settings sit beside the assembly: the silo reads the same appsettings.json from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = command == "run" ? args : args[1..],
            ContentRootPath = AppContext.BaseDirectory,
        });
        string connectionString;
        SiloHostOptions hostOptions;
        try
        {
            connectionString = DatabaseConnection.Resolve(builder.Configuration);
            hostOptions = builder.Configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        }
        catch (OptionsValidationException exception)
        {
            return await ConfigurationErrorAsync(exception);
        }
        catch (InvalidOperationException exception) when (ConfigurationCheck.IsBindingFailure(exception))
        {
            // The binder's own words for a value of the wrong type (Silo:SiloPort=abc): they name the key.
            return await ConfigurationErrorAsync(new OptionsValidationException(SiloHostOptions.Section, typeof(SiloHostOptions), [exception.Message]));
        }

        if (new SiloHostOptionsValidator().Validate(null, hostOptions) is { Failed: true } invalid)
        {
            return await ConfigurationErrorAsync(new OptionsValidationException(SiloHostOptions.Section, typeof(SiloHostOptions), invalid.Failures));
        }

        // In a Kubernetes pod the downward API names the silo and gives its address (deploy/kubernetes/).
        var pod = KubernetesPod.Detect(Environment.GetEnvironmentVariable, out var podProblems);
        if (command == "run" && podProblems.Count > 0)
        {
            return await ConfigurationErrorAsync(new OptionsValidationException(SiloHostOptions.Section, typeof(KubernetesPod), podProblems));
        }

        // Bound like every other options class, so the check at start covers it too (it was checked above already
        // because the ports are needed before the host is built).
        builder.Services.AddOptions<SiloHostOptions>().Bind(builder.Configuration.GetSection(SiloHostOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloHostOptions>, SiloHostOptionsValidator>();
        builder.Services.AddSingleton(_ => TributaryDataSource.Create(connectionString));
        builder.Services.AddSingleton<DatabaseMigrator>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = hostOptions.ShutdownTimeout);
        if (command == "run")
        {
            // The silo's own HTTP port: probes and metrics, for orchestrators and Prometheus; no API here.
            builder.WebHost.UseUrls($"http://{(hostOptions.ListenOnAnyHostAddress || pod is not null ? "0.0.0.0" : "127.0.0.1")}:{hostOptions.HealthPort}");
            builder.AddServiceDefaults("tributary-silo");
            builder.Services.AddHealthChecks()
                .AddCheck<DatabaseHealthCheck>("database")
                .AddCheck<SiloHealth.MembershipCheck>("silo");
            try
            {
                builder.UseOrleans(silo => silo.AddTributary(builder.Configuration, connectionString).UseTributaryEndpoints(hostOptions, pod));
            }
            catch (OptionsValidationException exception)
            {
                // A domain's settings are wrong (its sentences name them): stop before anything starts.
                return await ConfigurationErrorAsync(exception);
            }
        }

        await using var host = builder.Build();
        if (command == "run")
        {
            host.MapDefaultEndpoints(metricsPolicy: null);
            host.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
            {
                ResponseWriter = SiloHealth.WriteAsync,
                Predicate = check => !check.Tags.Contains(ServiceDefaults.ServiceDefaults.LiveTag),
            });
        }

        try
        {
            // Options validated on start (Silo:*, JobRuntime:*, every Jobs:{job}:*, the domains'), checked now: before
            // the database is touched, so a bad setting is reported as one, with its sentences, whatever else is wrong.
            ConfigurationCheck.ValidateNow(host.Services);
        }
        catch (OptionsValidationException exception)
        {
            return await ConfigurationErrorAsync(exception);
        }

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tributary.Silo");
        var database = DatabaseConnection.Redact(connectionString);
        var migrateOnStart = builder.Configuration.GetValue($"{DatabaseOptions.Section}:{nameof(DatabaseOptions.MigrateOnStart)}", true);
        try
        {
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            if (command == "wait-for-schema")
            {
                await WaitForSchemaAsync(host.Services.GetRequiredService<DatabaseMigrator>(), logger, database);
            }
            else if (command != "run" || migrateOnStart)
            {
                var result = await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
                LogMigrated(logger, result.Applied.Count, result.AlreadyApplied.Count, database);
            }

            // The providers stop with a vague error when a query is missing: say which, before Orleans starts.
            await OrleansQueryCatalog.EnsureCompleteAsync(dataSource, CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or OrleansSchemaIncompleteException or InvalidOperationException)
        {
            LogDatabaseNotReady(logger, database, exception.Message);
            return 1;
        }

        if (command == "seed-demo")
        {
            var loaded = await DemoData.LoadIfEmptyAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), CancellationToken.None);
            LogDemoData(logger, loaded ? "loaded" : "skipped: the database already has assets");
        }

        if (command != "run")
        {
            return 0;
        }

        LogStarting(logger, hostOptions.SiloPort, hostOptions.GatewayPort);
        try
        {
            await host.RunAsync();
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansLifecycleCanceledException)
        {
            // SIGTERM while the silo was still starting: Orleans cancels the start and stops; that is the stop asked for.
            // Start-up has no timeout of its own (HostOptions.StartupTimeout is infinite), so only a stop request cancels it.
            LogStoppedWhileStarting(logger);
        }
        catch (k8s.Exceptions.KubeConfigException exception) when (pod is not null)
        {
            // Kubernetes hosting reads the pod's service account to watch the cluster's pods; without it the silo cannot.
            LogNoKubernetesAccess(logger, pod.Name, exception.Message);
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Until every migration of this build is recorded: the silos of a Kubernetes deployment wait in an init container
    /// for the migration Job, so no two versions' silos migrate and a silo never starts on an older schema. A database
    /// not reachable yet is waited for too; only a stop request ends the wait early.
    /// </summary>
    private static async Task WaitForSchemaAsync(DatabaseMigrator migrator, ILogger logger, string database)
    {
        while (true)
        {
            try
            {
                var pending = await migrator.PendingAsync();
                if (pending.Count == 0)
                {
                    LogSchemaCurrent(logger, database);
                    return;
                }

                LogWaitingForMigrations(logger, pending.Count, pending, database);
            }
            catch (NpgsqlException exception)
            {
                LogWaitingForDatabase(logger, database, exception.Message);
            }

            await Task.Delay(SchemaPollInterval);
        }
    }

    private static readonly TimeSpan SchemaPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>The one way a bad setting ends the process: its validator's sentences, exit code 2.</summary>
    private static async Task<int> ConfigurationErrorAsync(OptionsValidationException exception)
    {
        await Console.Error.WriteLineAsync(ConfigurationCheck.Describe(exception));
        return ConfigurationCheck.ExitCode;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current ({Applied} migrations applied now, {Existing} already) on {Database}")]
    private static partial void LogMigrated(ILogger logger, int applied, int existing, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Every migration is applied on {Database}: the silo may start")]
    private static partial void LogSchemaCurrent(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the migration job: {Count} migrations not applied yet ({Pending}) on {Database}")]
    private static partial void LogWaitingForMigrations(ILogger logger, int count, IReadOnlyList<string> pending, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the database {Database}: {Reason}")]
    private static partial void LogWaitingForDatabase(ILogger logger, string database, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "FinTrack demo data {Outcome}")]
    private static partial void LogDemoData(ILogger logger, string outcome);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The database {Database} is not ready for the silo: {Reason}")]
    private static partial void LogDatabaseNotReady(ILogger logger, string database, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Pod} runs in a Kubernetes pod but cannot reach the Kubernetes API with its service account, which Orleans' Kubernetes hosting needs to watch the cluster's pods: give the pod the ServiceAccount tributary-silo with automountServiceAccountToken true and its Role (deploy/kubernetes/base/rbac.yaml). {Reason}")]
    private static partial void LogNoKubernetesAccess(ILogger logger, string pod, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped on request before start-up had finished")]
    private static partial void LogStoppedWhileStarting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting silo on silo port {SiloPort}, gateway port {GatewayPort}")]
    private static partial void LogStarting(ILogger logger, int siloPort, int gatewayPort);
}
