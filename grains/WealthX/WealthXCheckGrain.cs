using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tributary.Connectors;
using Tributary.Connectors.WealthX;
using Tributary.Jobs;

namespace Tributary.WealthX;

/// <inheritdoc cref="IWealthXCheckGrain"/>
/// <remarks>
/// Keeps no state. The calls go through the feed's <see cref="IRateLimiterGrain"/> (the key its sessions use), each
/// reported to it when its reply is read, so a check during a session slots in between its pages; a 429's
/// Retry-After pauses the limiter for the sessions too. A slot further off than <see cref="MaxSlotWait"/> (a long
/// Retry-After pause) is not waited for: the check says so instead.
/// </remarks>
[GrainType("wealthxcheck")]
public sealed partial class WealthXCheckGrain(WealthXFeeds feeds, IGrainFactory grains, TimeProvider time, ILogger<WealthXCheckGrain> logger)
    : Grain, IWealthXCheckGrain
{
    /// <summary>The longest wait for a slot of the feed's rate limiter before the check gives up on a call.</summary>
    public static readonly TimeSpan MaxSlotWait = TimeSpan.FromSeconds(10);

    private string Feed => this.GetPrimaryKeyString() is var key && key.StartsWith("wealthx:", StringComparison.Ordinal) ? key["wealthx:".Length..] : key;

    public async Task<WealthXConnectionCheck> Check()
    {
        var settings = feeds.Get(Feed) ?? throw WealthXFeedNotFoundException.For(Feed);
        var limit = settings.ApiBatchSize;
        var limiter = grains.GetGrain<IRateLimiterGrain>(RateLimitKey.For(WealthXClient.Upstream, Feed));
        var client = settings.Client!();
        var calls = 0;

        if (await WaitForSlotAsync(limiter) is { } busy)
        {
            return Report(null, null, limit, null, null, calls, busy);
        }

        DossierPage page;
        var watch = Stopwatch.StartNew();
        try
        {
            calls++;
            page = await client.GetPageAsync(1, 1, CancellationToken.None);
        }
        catch (UpstreamException exception)
        {
            await CallEndedAsync(limiter, exception);
            var login = exception.StatusCode is 401 or 403 ? false : (bool?)null;
            LogCheck(logger, Feed, login, exception.StatusCode);
            return Report(login, null, limit, null, exception.StatusCode is { } ? watch.Elapsed.TotalMilliseconds : null, calls, exception.Message);
        }

        var roundTrip = watch.Elapsed.TotalMilliseconds;
        await limiter.Completed(time.GetUtcNow());

        if (await WaitForSlotAsync(limiter) is { } busyAgain)
        {
            return Report(true, page.TotalDossiers, limit, null, roundTrip, calls, busyAgain);
        }

        bool? enforced;
        string? message = null;
        try
        {
            calls++;
            enforced = await client.RefusesOneRecordOverTheLimitAsync(CancellationToken.None);
            await limiter.Completed(time.GetUtcNow());
            if (enforced == false)
            {
                message = string.Create(CultureInfo.InvariantCulture,
                    $"WealthX answered a call of {limit + 1} records instead of refusing it: its limit per call is higher than {WealthXOptions.Section}:ApiBatchSize ({limit}); the feed keeps asking for {limit}.");
            }
        }
        catch (UpstreamException exception)
        {
            await CallEndedAsync(limiter, exception);
            enforced = null;
            message = $"The login works, but the call of {limit + 1} records failed otherwise than with a refusal of the range: {exception.Message}";
        }

        LogCheck(logger, Feed, true, null);
        return Report(true, page.TotalDossiers, limit, enforced, roundTrip, calls, message);
    }

    private WealthXConnectionCheck Report(bool? login, int? total, int limit, bool? enforced, double? roundTripMs, int calls, string? message) =>
        new(Feed, login, total, limit, enforced, roundTripMs is { } ms ? Math.Round(ms, 1) : null, calls, message, time.GetUtcNow());

    /// <summary>Waits for a slot of the feed's limiter; a sentence instead when it is further off than <see cref="MaxSlotWait"/>.</summary>
    private async Task<string?> WaitForSlotAsync(IRateLimiterGrain limiter)
    {
        var wait = await limiter.Reserve();
        if (wait > MaxSlotWait)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"The feed's rate limiter has no slot for {wait.TotalSeconds:0} s (WealthX asked to wait with Retry-After, or many calls are queued); nothing was checked. Try again later.");
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time);
        }

        return null;
    }

    /// <summary>Reports a failed call's end to the limiter, and WealthX's Retry-After as a pause for every caller of the feed.</summary>
    private async Task CallEndedAsync(IRateLimiterGrain limiter, UpstreamException exception)
    {
        await limiter.Completed(time.GetUtcNow());
        if (exception.RetryAfter is { } after)
        {
            await limiter.PauseUntil(time.GetUtcNow() + after);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WealthX {Feed}: connection checked, login ok {LoginOk}, failed status {Status}")]
    private static partial void LogCheck(ILogger logger, string feed, bool? loginOk, int? status);
}
