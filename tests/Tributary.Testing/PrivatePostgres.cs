namespace Tributary.Testing;

/// <summary>
/// A PostgreSQL server that belongs to one test, so the test can take it away (<see cref="StopAsync"/>) and bring it
/// back on the same port (<see cref="StartAsync"/>) to play an outage of our own database.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dataDirectory;

    internal PrivatePostgres(PostgresServer server, string root, string dataDirectory)
    {
        Server = server;
        _root = root;
        _dataDirectory = dataDirectory;
    }

    public PostgresServer Server { get; }

    /// <summary>Fast shutdown: every connection is cut, new ones are refused.</summary>
    public Task StopAsync() => PostgresServer.StopClusterAsync(_dataDirectory);

    /// <summary>Starts the server again on its port.</summary>
    public Task StartAsync() => PostgresServer.StartClusterAgainAsync(_dataDirectory);

    public ValueTask DisposeAsync()
    {
        PostgresServer.StopCluster(_root, _dataDirectory);
        return ValueTask.CompletedTask;
    }
}
