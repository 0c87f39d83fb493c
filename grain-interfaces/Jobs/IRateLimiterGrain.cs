namespace Tributary.Jobs;

/// <summary>
/// A token bucket shared by every silo for one upstream credential (key <see cref="RateLimitKey.For"/>).
/// Callers ask for a slot and wait the returned delay themselves: the grain never blocks.
/// </summary>
[Alias("Tributary.Jobs.IRateLimiterGrain")]
public interface IRateLimiterGrain : IGrainWithStringKey
{
    /// <summary>Reserves <paramref name="permits"/> and returns how long the caller must wait before using them.</summary>
    [Alias("Reserve")]
    Task<TimeSpan> Reserve(int permits = 1);

    /// <summary>
    /// A caller's call to the upstream ended (its reply was read) at <paramref name="at"/>. For a limiter that spaces
    /// calls from the end of one to the start of the next, no slot is granted before <paramref name="at"/> plus the
    /// interval; for the others this changes nothing.
    /// </summary>
    [Alias("Completed")]
    Task Completed(DateTimeOffset at);

    /// <summary>The upstream said Retry-After: nobody gets a slot before <paramref name="until"/>.</summary>
    [Alias("PauseUntil")]
    Task PauseUntil(DateTimeOffset until);

    /// <summary>The limit in force and whether it is paused.</summary>
    [Alias("GetState")]
    Task<RateLimitState> GetState();

    /// <summary>
    /// The end of the latest Retry-After pause, even one that has passed (null if none ever began): a caller that slept
    /// to a slot reserved before the pause began learns from it that the slot fell inside the pause.
    /// </summary>
    [Alias("LastPauseUntil")]
    Task<DateTimeOffset?> LastPauseUntil();
}

/// <summary>A limiter's state.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Jobs.RateLimitState")]
public sealed record RateLimitState(
    [property: Id(0)] double PermitsPerSecond,
    [property: Id(1)] int Burst,
    [property: Id(2)] DateTimeOffset? PausedUntil,
    [property: Id(3)] long Granted,
    [property: Id(4)] bool SpacedFromCompletion = false);

/// <summary>Keys of rate limiter grains: one per upstream and credential.</summary>
public static class RateLimitKey
{
    public static string For(string upstream, string credential = "default") => $"ratelimit:{upstream}:{credential}";

    public static string UpstreamOf(string key) => key.Split(':') is [_, var upstream, ..] ? upstream : key;
}
