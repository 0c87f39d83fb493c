namespace Tributary.Storage.Jobs;

/// <summary>Where a run stands: queued, running or paused, or ended succeeded, partially succeeded or failed.</summary>
/// <remarks>
/// <para>Inside the runtime always this type; snake_case text only at the edges. The text
/// (<see cref="RunStatusExtensions.ToText"/>) is what <c>job_runs.status</c>, events, metrics and grain state hold and
/// what the API shows (<c>partially_succeeded</c>): never rename it.</para>
/// <para>Orleans carries the value as its number, so members keep their values; add new ones at the end.</para>
/// </remarks>
public enum RunStatus
{
    Queued = 0,
    Running = 1,
    Succeeded = 2,
    PartiallySucceeded = 3,
    Failed = 4,
    Paused = 5,
}

/// <summary>A run status's stored text, and which statuses end a run.</summary>
public static class RunStatusExtensions
{
    extension(RunStatus runStatus)
    {
        /// <summary>The status as stored and shown: <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>partially_succeeded</c>, <c>failed</c>, <c>paused</c>.</summary>
        public string ToText() => runStatus switch
        {
            RunStatus.Queued => "queued",
            RunStatus.Running => "running",
            RunStatus.Succeeded => "succeeded",
            RunStatus.PartiallySucceeded => "partially_succeeded",
            RunStatus.Failed => "failed",
            RunStatus.Paused => "paused",
            _ => throw new ArgumentOutOfRangeException(nameof(runStatus), runStatus, "Not a run status."),
        };

        /// <summary>Every status, in the order of their values.</summary>
        public static IReadOnlyList<RunStatus> Values => Enum.GetValues<RunStatus>();

        /// <summary>Succeeded, partially succeeded and failed end a run; the others do not.</summary>
        public static bool IsFinal(RunStatus status) => status is RunStatus.Succeeded or RunStatus.PartiallySucceeded or RunStatus.Failed;

        /// <summary>The status whose exact text (<see cref="ToText"/>) this is.</summary>
        public static bool TryFromText(string? text, out RunStatus status)
        {
            foreach (var candidate in RunStatus.Values)
            {
                if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
                {
                    status = candidate;
                    return true;
                }
            }

            status = default;
            return false;
        }

        /// <summary>The status whose exact text this is.</summary>
        /// <exception cref="FormatException">The text is no run status's.</exception>
        public static RunStatus FromText(string text) =>
            RunStatus.TryFromText(text, out var status)
                ? status
                : throw new FormatException($"'{text}' is not a run status; known: {string.Join(", ", RunStatus.Values.Select(s => s.ToText()))}.");
    }
}
