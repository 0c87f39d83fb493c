namespace Tributary.TrueLayer;

/// <summary>
/// One bank account or card (key: TrueLayer's account id), the single writer of its import progress and cursor. An
/// import's batch drives it one step at a time: each <see cref="Step"/> makes one call to TrueLayer (the pending
/// transactions first, then one date window), commits what it read in chunks of the job's batch size with an
/// idempotent upsert, and only then moves the cursor. A crash anywhere re-runs at most the step it interrupted.
/// </summary>
/// <remarks>
/// Steps are short grain calls; waiting (for a rate-limit slot, a Retry-After pause, a retry's backoff) happens in
/// the import's batch, beside the grain, so no call blocks for minutes.
/// </remarks>
[Alias("Tributary.TrueLayer.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    [Alias("Step")]
    [ResponseTimeout("00:02:00")]
    Task<AccountStep> Step(AccountStepRequest request);
}

/// <summary>Which job's range of this account to advance.</summary>
/// <param name="Kind"><c>account</c> or <c>card</c>: which of TrueLayer's paths the account lives under.</param>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.AccountStepRequest")]
public sealed record AccountStepRequest(
    [property: Id(0)] Guid JobId,
    [property: Id(1)] string ConnectionId,
    [property: Id(2)] string Kind,
    [property: Id(3)] DateOnly From,
    [property: Id(4)] DateOnly To,
    [property: Id(5)] int BatchSize,
    [property: Id(6)] int WindowDays);

/// <summary>What one step did.</summary>
[GenerateSerializer, Alias("Tributary.TrueLayer.AccountStepOutcome")]
public enum AccountStepOutcome
{
    /// <summary>A unit (the pending list or a window) was committed; more follow.</summary>
    Progressed = 0,

    /// <summary>Every unit is done; the account is <c>completed</c>.</summary>
    Done = 1,

    /// <summary>TrueLayer said 429: nothing was committed; wait <see cref="AccountStep.RetryAfter"/> and step again.</summary>
    Throttled = 2,

    /// <summary>The call failed; <see cref="AccountStep.Error"/> says why and <see cref="AccountStep.Transient"/> whether a retry may help.</summary>
    Failed = 3,
}

/// <summary>The account's progress in the job after a step.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.AccountStep")]
public sealed record AccountStep(
    [property: Id(0)] AccountStepOutcome Outcome,
    [property: Id(1)] int Synced,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] int Errors,
    [property: Id(4)] int UnitsDone,
    [property: Id(5)] int UnitsTotal,
    [property: Id(6)] TimeSpan? RetryAfter = null,
    [property: Id(7)] string? Error = null,
    [property: Id(8)] bool Transient = false,
    [property: Id(9)] string? ErrorCode = null,
    [property: Id(10)] int? HttpStatus = null);
