namespace Tributary.FinTrack;

/// <summary>Turns the feed's trading day into the instant a value is stamped with.</summary>
internal static class TradingDay
{
    /// <summary>The day's close (its last second, UTC), or the fetch time when that is still in the future.</summary>
    public static DateTimeOffset CloseAt(DateOnly day, DateTimeOffset fetchedAt)
    {
        var close = new DateTimeOffset(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
        return close < fetchedAt ? close : fetchedAt;
    }
}
