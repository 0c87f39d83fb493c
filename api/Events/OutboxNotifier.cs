using Npgsql;
using Tributary.Storage.Events;

namespace Tributary.Api.Events;

/// <summary>
/// Wakes event readers when PostgreSQL announces new outbox rows (LISTEN on <see cref="Outbox.Channel"/>).
/// Readers still read the table and also wake on a timeout, so a lost connection only adds latency.
/// </summary>
public sealed partial class OutboxNotifier(NpgsqlDataSource dataSource, ILogger<OutboxNotifier> logger) : BackgroundService
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when new events may exist, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _signal).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Polling fallback: the caller reads the table anyway.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Interlocked.Exchange(ref _signal, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                await using (var listen = new NpgsqlCommand($"LISTEN {Outbox.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException exception)
            {
                LogListenFailed(logger, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for outbox events failed ({Reason}); readers poll until it reconnects")]
    private static partial void LogListenFailed(ILogger logger, string reason);
}
