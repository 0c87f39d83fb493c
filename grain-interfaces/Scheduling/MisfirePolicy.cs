using System.Diagnostics.CodeAnalysis;

namespace Tributary.Scheduling;

/// <summary>What a schedule does with occurrences that were missed (silo down, job busy, ticks late).</summary>
/// <remarks>
/// <para>The text (<see cref="MisfirePolicyExtensions.ToText"/>: <c>skip</c>, <c>once</c>, <c>all</c>) is what schedule
/// state holds, what configuration and the API accept and what the API shows: never rename it.</para>
/// <para>Orleans carries the value as its number, so members keep their values; add new ones at the end.</para>
/// </remarks>
[GenerateSerializer, Alias("Tributary.Scheduling.MisfirePolicy")]
public enum MisfirePolicy
{
    /// <summary>Run only an occurrence that is due now (within the grace); drop every missed one.</summary>
    Skip = 0,

    /// <summary>Run the latest missed occurrence once; drop the older ones.</summary>
    Once = 1,

    /// <summary>Run every missed occurrence, oldest first, keeping at most <c>MaxCatchUp</c> (the newest).</summary>
    All = 2,
}

/// <summary>A misfire policy's text: what state stores and what operators write.</summary>
public static class MisfirePolicyExtensions
{
    extension(MisfirePolicy misfirePolicy)
    {
        /// <summary>The policy as stored and shown: <c>skip</c>, <c>once</c>, <c>all</c>.</summary>
        public string ToText() => misfirePolicy switch
        {
            MisfirePolicy.Skip => "skip",
            MisfirePolicy.Once => "once",
            MisfirePolicy.All => "all",
            _ => throw new ArgumentOutOfRangeException(nameof(misfirePolicy), misfirePolicy, "Not a misfire policy."),
        };

        /// <summary>Every policy, in the order of their values.</summary>
        public static IReadOnlyList<MisfirePolicy> Values => Enum.GetValues<MisfirePolicy>();

        /// <summary>
        /// Reads an operator's text (configuration, the API), ignoring case and surrounding spaces; otherwise
        /// <paramref name="problem"/> is the sentence that says why and what is allowed.
        /// </summary>
        public static bool TryFromText(string? text, out MisfirePolicy policy, [NotNullWhen(false)] out string? problem)
        {
            var given = text?.Trim().ToLowerInvariant();
            foreach (var candidate in MisfirePolicy.Values)
            {
                if (string.Equals(candidate.ToText(), given, StringComparison.Ordinal))
                {
                    (policy, problem) = (candidate, null);
                    return true;
                }
            }

            policy = MisfirePolicy.Skip;
            problem = $"Misfire policy '{text}' is unknown; allowed: {string.Join(", ", MisfirePolicy.Values.Select(p => p.ToText()))}.";
            return false;
        }
    }
}
