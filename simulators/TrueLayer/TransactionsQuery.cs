using System.Globalization;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// <c>from</c> and <c>to</c> of <c>/transactions</c>, each <c>YYYY-MM-DD</c> or RFC 3339, or the 400 to send. A
/// date alone means the start of that day (<c>from</c>) or its end (<c>to</c>), UTC. Without <c>to</c> the window
/// ends now; without <c>from</c> it starts 90 days before <c>to</c>.
/// </summary>
public sealed record TransactionsQuery(DateTimeOffset From, DateTimeOffset To)
{
    public static (TransactionsQuery? Query, TrueLayerError? Error) Parse(IQueryCollection query, DateTimeOffset now)
    {
        if (Read(query, "from", endOfDay: false, out var from) is { } fromError)
        {
            return (null, fromError);
        }

        if (Read(query, "to", endOfDay: true, out var to) is { } toError)
        {
            return (null, toError);
        }

        var end = to ?? now;
        var start = from ?? end - TrueLayerRoutes.DefaultWindow;
        if (start > end)
        {
            return (null, new TrueLayerError(
                TrueLayerError.InvalidDateRange,
                $"from must not be after to; was from={start:O}, to={end:O}."));
        }

        return (new TransactionsQuery(start, end), null);
    }

    private static TrueLayerError? Read(IQueryCollection query, string name, bool endOfDay, out DateTimeOffset? value)
    {
        value = null;
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length == 10
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            value = endOfDay ? start.AddDays(1).AddTicks(-1) : start;
            return null;
        }

        if (text.Contains('T', StringComparison.OrdinalIgnoreCase)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment))
        {
            value = moment;
            return null;
        }

        return new TrueLayerError(
            TrueLayerError.ValidationError,
            $"{name} must be a date (YYYY-MM-DD) or an RFC 3339 date-time (2024-01-31T12:00:00Z); was '{text}'.");
    }
}
