using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Tributary.Jobs;

/// <summary>
/// A switch for crash tests: the environment variable <c>TRIBUTARY_CRASH_AT</c> names a point of the runtime where
/// the silo process kills itself (SIGKILL, as a machine losing power), so a test can prove a run resumes from each
/// point where a real crash can land. Unset in production: then <see cref="Reached"/> does nothing.
/// </summary>
/// <remarks>
/// <c>TRIBUTARY_CRASH_AT=point</c> crashes at the first time the point is reached; <c>point@N</c> at the N-th time (1-based)
/// in this process. With <c>TRIBUTARY_CRASH_ONCE_FILE=path</c> only the first process of the cluster to get there crashes
/// (it creates the file; a process that finds it goes on), so every silo can be armed and exactly one dies.
/// </remarks>
public sealed partial class CrashPoints(ILogger<CrashPoints> logger)
{
    public const string Variable = "TRIBUTARY_CRASH_AT";
    public const string OnceFileVariable = "TRIBUTARY_CRASH_ONCE_FILE";

    /// <summary>After a run's row is written, before the job's grain has recorded it as its current run.</summary>
    public const string RunCreated = "run-created";

    /// <summary>After a batch is claimed (the checkpoint before the work), before its work starts.</summary>
    public const string BatchClaimed = "batch-claimed";

    /// <summary>After a batch's data is committed, before its checkpoint.</summary>
    public const string BatchCommitted = "batch-committed";

    /// <summary>After a batch's checkpoint, before the next batch is claimed.</summary>
    public const string BatchCheckpointed = "batch-checkpointed";

    /// <summary>After the run's final status is stored, before the job's grain is told.</summary>
    public const string RunFinished = "run-finished";

    public static readonly IReadOnlyList<string> All = [RunCreated, BatchClaimed, BatchCommitted, BatchCheckpointed, RunFinished];

    private readonly (string Point, int Hit)? _armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private readonly string? _onceFile = Environment.GetEnvironmentVariable(OnceFileVariable);
    private int _hits;

    /// <summary>Kills this process when the switch names <paramref name="point"/> and its hit count is reached.</summary>
    public void Reached(string point)
    {
        if (_armed is not { } armed || armed.Point != point || Interlocked.Increment(ref _hits) != armed.Hit)
        {
            return;
        }

        if (_onceFile is not null)
        {
            try
            {
                using var _ = new FileStream(_onceFile, FileMode.CreateNew, FileAccess.Write);
            }
            catch (IOException)
            {
                return; // Another silo crashed here already.
            }
        }

        LogCrashing(logger, point, armed.Hit);
        // The console logger writes on a thread of its own: say it here too, synchronously, before the lights go out.
        Console.Error.WriteLine($"Crash switch: killing this silo at {point} (hit {armed.Hit})");
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var point = at < 0 ? value.Trim() : value[..at].Trim();
        var hit = at < 0 ? 1 : int.Parse(value[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return All.Contains(point)
            ? (point, hit)
            : throw new InvalidOperationException($"{Variable} must name one of {string.Join(", ", All)} (optionally @N), was '{value}'.");
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Crash switch: killing this silo at {Point} (hit {Hit})")]
    private static partial void LogCrashing(ILogger logger, string point, int hit);
}
