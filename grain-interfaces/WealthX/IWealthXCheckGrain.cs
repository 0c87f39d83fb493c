namespace Tributary.WealthX;

/// <summary>
/// Checks a WealthX feed's connection and limits with its own credentials (the seed's <c>test_wealthx_api.py</c>), key
/// <see cref="WealthXFeed.GrainKey"/>: a call of one record (does the login work, what total does WealthX report, how
/// long does a call take), then a call of <c>ApiBatchSize + 1</c> records (does WealthX refuse a range wider than the
/// per-call limit). Both calls wait for the feed's cluster-wide rate limiter like a session's pages, so they never
/// come closer to another call of the feed than <c>MinCallInterval</c>. Nothing is stored and no cursor moves.
/// </summary>
/// <remarks>The credentials live in the silos' configuration, so the check runs in a silo, not in the gateway.</remarks>
[Alias("Tributary.WealthX.IWealthXCheckGrain")]
public interface IWealthXCheckGrain : IGrainWithStringKey
{
    /// <summary>Runs the check (two calls at most; a rejected login or a failed first call stops it after one).</summary>
    /// <exception cref="WealthXFeedNotFoundException">No feed of that name is configured.</exception>
    [ResponseTimeout("00:01:30")]
    [Alias("Check")]
    Task<WealthXConnectionCheck> Check();
}

/// <summary>What a connection check found.</summary>
/// <param name="LoginOk">WealthX accepted the credentials (true), refused them with 401 or 403 (false), or could not tell (null: no answer, or another failure).</param>
/// <param name="TotalRecords">The total WealthX reported in the one-record call (<c>totalDossiers</c>); null when that call failed.</param>
/// <param name="PerCallLimit">The records per call the feed asks for (<c>WealthX:ApiBatchSize</c>).</param>
/// <param name="LimitEnforced">
/// WealthX refused the call of <paramref name="PerCallLimit"/> + 1 records with a 400 (true) or answered it (false);
/// null when that call was not made or failed otherwise.
/// </param>
/// <param name="RoundTripMs">The one-record call's time, request sent to reply read; null when it got no reply.</param>
/// <param name="Calls">Calls made to WealthX (0, 1 or 2).</param>
/// <param name="Message">A sentence on what failed and what to do; null when all went well.</param>
[GenerateSerializer, Immutable, Alias("Tributary.WealthX.WealthXConnectionCheck")]
public sealed record WealthXConnectionCheck(
    [property: Id(0)] string Feed,
    [property: Id(1)] bool? LoginOk,
    [property: Id(2)] int? TotalRecords,
    [property: Id(3)] int PerCallLimit,
    [property: Id(4)] bool? LimitEnforced,
    [property: Id(5)] double? RoundTripMs,
    [property: Id(6)] int Calls,
    [property: Id(7)] string? Message,
    [property: Id(8)] DateTimeOffset CheckedAt);
