using System.Diagnostics;
using Npgsql;

namespace Tributary.Testing;

/// <summary>
/// The PostgreSQL server the tests talk to: the one <c>./test.sh</c> started (its admin connection string in
/// <c>TRIBUTARY_TEST_PG</c>), or, when a test runs alone under <c>dotnet test</c>, a throwaway one this process
/// starts through <c>scripts/postgres.sh</c> and stops on exit.
/// </summary>
/// <remarks>Every test gets its own database, so tests run in parallel without seeing each other's rows.</remarks>
public sealed class PostgresServer
{
    public const string EnvironmentVariable = "TRIBUTARY_TEST_PG";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private PostgresServer(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    /// <summary>Connection string of the maintenance database (<c>postgres</c>) as superuser.</summary>
    public string AdminConnectionString { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database named after <paramref name="purpose"/> and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        // t_ + at most 24 of the purpose + _ + 32 hex digits: at most 59 characters, within PostgreSQL's 63.
        var name = $"t_{Sanitize(purpose)}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Creates a database named after <paramref name="purpose"/>, applies every migration, and returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var connectionString = await CreateDatabaseAsync(purpose);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new Storage.DatabaseMigrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<Storage.DatabaseMigrator>.Instance).MigrateAsync();
        return connectionString;
    }

    private static string Sanitize(string purpose) =>
        new(purpose.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(24).ToArray());

    private static async Task<PostgresServer> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new PostgresServer(fromEnvironment);
        }

        var (root, dataDirectory, port) = await StartClusterAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopCluster(root, dataDirectory);
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }

    /// <summary>A server of the test's own, which it may stop and start again (a database outage) without disturbing other tests.</summary>
    public static async Task<PrivatePostgres> StartPrivateAsync()
    {
        var (root, dataDirectory, port) = await StartClusterAsync();
        return new PrivatePostgres(new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres"), root, dataDirectory);
    }

    /// <summary>Starts a throwaway cluster in a new folder through <c>scripts/postgres.sh</c>; returns the folder, its data directory and port.</summary>
    internal static async Task<(string Root, string DataDirectory, string Port)> StartClusterAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"tributary-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"Set {EnvironmentVariable} to a PostgreSQL server: the throwaway server needs Linux.");
        }

        // The postgres user (initdb refuses root) must be able to enter this folder.
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var dataDirectory = Path.Combine(root, "pg");
        var port = (await RunAsync(Script, "start", dataDirectory, "--ephemeral")).Trim();
        return (root, dataDirectory, port);
    }

    internal static Task StartClusterAgainAsync(string dataDirectory) => RunAsync(Script, "start", dataDirectory, "--ephemeral", "--same-port");

    internal static Task StopClusterAsync(string dataDirectory) => RunAsync(Script, "stop", dataDirectory);

    internal static void StopCluster(string root, string dataDirectory)
    {
        StopClusterAsync(dataDirectory).GetAwaiter().GetResult();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Script => RepoPaths.Combine("scripts", "postgres.sh");

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }
}
