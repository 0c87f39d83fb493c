namespace Tributary.Simulators.MarketData;

/// <summary>The simulated market's trading days: Monday to Friday, no holidays (an assumption that keeps the calendar obvious).</summary>
public static class MarketCalendar
{
    public static bool IsBusinessDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary><paramref name="day"/> itself on a business day, else the Friday before it.</summary>
    public static DateOnly LatestBusinessDayOnOrBefore(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(-1),
        DayOfWeek.Sunday => day.AddDays(-2),
        _ => day,
    };

    /// <summary>The business days from <paramref name="from"/> to <paramref name="to"/>, inclusive, in order.</summary>
    public static IEnumerable<DateOnly> BusinessDays(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (IsBusinessDay(day))
            {
                yield return day;
            }
        }
    }
}
