using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Tributary.Jobs.Tests;

/// <summary>How the runtime waits out our database's outage, on fake time.</summary>
public sealed class DatabaseOutageTests
{
    private static readonly JobRuntimeOptions Options = new()
    {
        DatabaseOutageTolerance = TimeSpan.FromSeconds(10),
        DatabaseRetryDelay = TimeSpan.FromMilliseconds(500),
        DatabaseRetryMaxDelay = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task An_outage_is_waited_out_once_even_when_ride_outs_nest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var outage = new DatabaseOutage(Microsoft.Extensions.Options.Options.Create(Options), time, NullLogger<DatabaseOutage>.Instance);
        var outer = 0;
        var inner = 0;

        var run = outage.RideOutAsync("outer", async token =>
        {
            outer++;
            return await outage.RideOutAsync<int>("inner", _ =>
            {
                inner++;
                throw new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
            }, token);
        }, CancellationToken.None);
        var exception = await AdvanceUntilDoneAsync(time, run);

        var exceeded = Assert.IsType<DatabaseOutageExceededException>(exception);
        Assert.True(DatabaseFault.IsUnavailable(exceeded));
        Assert.Equal(1, outer);
        // The inner ride-out tried again (how often depends on the jittered backoff), the outer one never did.
        Assert.InRange(inner, 2, 21);
        Assert.Contains("stayed unreachable for 00:00:10 while inner", exceeded.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operation_goes_through_when_the_database_is_back_and_other_errors_pass_at_once()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var outage = new DatabaseOutage(Microsoft.Extensions.Options.Options.Create(Options), time, NullLogger<DatabaseOutage>.Instance);
        var calls = 0;

        var back = outage.RideOutAsync("storing", _ => ++calls < 4
            ? throw new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))
            : Task.FromResult(calls), CancellationToken.None);
        Assert.Null(await AdvanceUntilDoneAsync(time, back));
        var bug = outage.RideOutAsync<int>("storing", _ => throw new InvalidOperationException("a bug"), CancellationToken.None);

        Assert.Equal(4, await back);
        Assert.Equal("a bug", (await Assert.ThrowsAsync<InvalidOperationException>(() => bug)).Message);
    }

    /// <summary>Moves fake time on in small steps until <paramref name="task"/> ends; returns its exception, if any.</summary>
    private static async Task<Exception?> AdvanceUntilDoneAsync(FakeTimeProvider time, Task task)
    {
        for (var step = 0; step < 100_000 && !task.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Yield();
        }

        Assert.True(task.IsCompleted, "the ride-out never ended within 100,000 steps of 50 ms of fake time");
        try
        {
            await task;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
