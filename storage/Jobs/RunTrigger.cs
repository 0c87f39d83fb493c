namespace Tributary.Storage.Jobs;

/// <summary>What started a run: an operator or client (manual), a schedule's occurrence, or a replay of dead letters.</summary>
/// <remarks>
/// <para>Inside the runtime always this type; snake_case text only at the edges. The text
/// (<see cref="RunTriggerExtensions.ToText"/>) is what <c>job_runs.trigger</c>, events and metrics hold and what the
/// API shows: never rename it.</para>
/// <para>Orleans carries the value as its number, so members keep their values; add new ones at the end.</para>
/// </remarks>
public enum RunTrigger
{
    /// <summary>An operator or a client (the API), or a schedule's trigger-now.</summary>
    Manual = 0,

    /// <summary>A schedule's occurrence (<c>RunRequest.ScheduledFor</c>).</summary>
    Schedule = 1,

    /// <summary>Dead letters processed again (<c>RunRequest.DeadLetterIds</c>).</summary>
    Replay = 2,
}

/// <summary>A run trigger's stored text.</summary>
public static class RunTriggerExtensions
{
    extension(RunTrigger runTrigger)
    {
        /// <summary>The trigger as stored and shown: <c>manual</c>, <c>schedule</c>, <c>replay</c>.</summary>
        public string ToText() => runTrigger switch
        {
            RunTrigger.Manual => "manual",
            RunTrigger.Schedule => "schedule",
            RunTrigger.Replay => "replay",
            _ => throw new ArgumentOutOfRangeException(nameof(runTrigger), runTrigger, "Not a run trigger."),
        };

        /// <summary>Every trigger, in the order of their values.</summary>
        public static IReadOnlyList<RunTrigger> Values => Enum.GetValues<RunTrigger>();

        /// <summary>The trigger whose exact text (<see cref="ToText"/>) this is.</summary>
        public static bool TryFromText(string? text, out RunTrigger trigger)
        {
            foreach (var candidate in RunTrigger.Values)
            {
                if (string.Equals(candidate.ToText(), text, StringComparison.Ordinal))
                {
                    trigger = candidate;
                    return true;
                }
            }

            trigger = default;
            return false;
        }

        /// <summary>The trigger whose exact text this is.</summary>
        /// <exception cref="FormatException">The text is no run trigger's.</exception>
        public static RunTrigger FromText(string text) =>
            RunTrigger.TryFromText(text, out var trigger)
                ? trigger
                : throw new FormatException($"'{text}' is not a run trigger; known: {string.Join(", ", RunTrigger.Values.Select(t => t.ToText()))}.");
    }
}
