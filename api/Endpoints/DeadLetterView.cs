using Tributary.Storage.Jobs;

namespace Tributary.Api.Endpoints;

/// <summary>A batch that exhausted its retries, replayable as a new run (<c>POST /api/etl/dead-letters/{id}/replay</c>).</summary>
/// <param name="ReplayedAt">When a replay run finished it; null while open.</param>
public sealed record DeadLetterView(
    long DeadLetterId, string Job, Guid RunId, int BatchIndex, IReadOnlyList<string> Items, string? AccountId, IReadOnlyDictionary<string, string> Parameters,
    string Error, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? ReplayedAt, Guid? ReplayRunId)
{
    public static DeadLetterView From(DeadLetterRecord letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return new DeadLetterView(
            letter.DeadLetterId, letter.Job, letter.RunId, letter.BatchIndex, letter.Items, letter.AccountId, letter.Parameters, letter.Error, letter.Attempts,
            letter.CreatedAt, letter.ReplayedAt, letter.ReplayRunId);
    }
}
