using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// The paging key (booking date, id) of the last item a page returned, as an opaque cursor: base64url of
/// <c>yyyy-MM-dd|id</c>. The next page starts strictly after it.
/// </summary>
public sealed record FeeCursor(DateOnly BookingDate, string Id)
{
    public static FeeCursor Of(FeeDeduction deduction) => new(deduction.BookingDate, deduction.Id);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{BookingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{Id}"));

    public static FeeCursor? TryDecode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return bar > 0
                && DateOnly.TryParseExact(text[..bar], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && bar < text.Length - 1
                ? new FeeCursor(date, text[(bar + 1)..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="deduction"/> sorts after this key (by booking date, then id, ordinal).</summary>
    public bool IsBefore(FeeDeduction deduction) =>
        deduction.BookingDate > BookingDate
        || (deduction.BookingDate == BookingDate && string.CompareOrdinal(deduction.Id, Id) > 0);
}
