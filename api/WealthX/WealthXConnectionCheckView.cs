using System.Text.Json.Serialization;
using Tributary.WealthX;

namespace Tributary.Api.WealthX;

/// <summary>
/// The answer of <c>POST /api/wealthx/{feed}/check</c>: the seed's <c>test_wealthx_api.py</c> ("test API connection
/// and limits") for one feed, with its credentials. See <see cref="WealthXConnectionCheck"/> for each field.
/// </summary>
/// <param name="LoginOk">WealthX accepted the login (true), refused it (false: 401/403), or could not tell (null).</param>
/// <param name="TotalRecords">The total WealthX reported (<c>totalDossiers</c>).</param>
/// <param name="PerCallLimit">The configured records per call (<c>WealthX:ApiBatchSize</c>).</param>
/// <param name="LimitEnforced">A call of <c>per_call_limit + 1</c> records was refused (true) or answered (false); null when not tried.</param>
/// <param name="RoundTripMs">The one-record call's round trip, in milliseconds.</param>
/// <param name="Calls">Calls made to WealthX: 2 when all went well.</param>
/// <param name="Message">What failed and what to do; null when all went well.</param>
public sealed record WealthXConnectionCheckView(
    [property: JsonPropertyName("feed")] string Feed,
    [property: JsonPropertyName("login_ok")] bool? LoginOk,
    [property: JsonPropertyName("total_records")] int? TotalRecords,
    [property: JsonPropertyName("per_call_limit")] int PerCallLimit,
    [property: JsonPropertyName("limit_enforced")] bool? LimitEnforced,
    [property: JsonPropertyName("round_trip_ms")] double? RoundTripMs,
    [property: JsonPropertyName("calls")] int Calls,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("checked_at")] DateTimeOffset CheckedAt)
{
    public static WealthXConnectionCheckView From(WealthXConnectionCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new WealthXConnectionCheckView(
            check.Feed, check.LoginOk, check.TotalRecords, check.PerCallLimit, check.LimitEnforced, check.RoundTripMs, check.Calls, check.Message, check.CheckedAt);
    }
}
