using System.Globalization;

namespace Tributary.Storage.FinTrack;

/// <summary>Reads and checks the fields of one <see cref="SourceRow"/>, collecting an <see cref="ImportError"/> per bad field.</summary>
internal sealed class RowCheck(SourceRow row, ImportErrors errors)
{
    /// <summary>The longest id, name or symbol accepted.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The largest magnitude of a quantity, price or amount: their products must stay inside <see cref="decimal"/>.</summary>
    public const decimal MaxNumber = 1_000_000_000_000m;

    private const NumberStyles DecimalStyle =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign
        | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    public int Line => row.Line;

    /// <summary>True once any field of this row was refused.</summary>
    public bool Failed { get; private set; }

    public void Fail(string field, string reason)
    {
        if (row.Refused.Contains(field))
        {
            // Already reported while reading the body: one error per field is enough.
            Failed = true;
            return;
        }

        errors.Add(new ImportError(row.Line, field, reason));
        Failed = true;
    }

    /// <summary>A non-blank text of at most <see cref="MaxTextLength"/> characters, trimmed.</summary>
    public string? Text(string field)
    {
        var value = row.Get(field);
        if (value is null)
        {
            Fail(field, "Missing: this field is required.");
            return null;
        }

        if (value.Length > MaxTextLength)
        {
            Fail(field, $"Is {value.Length} characters long: at most {MaxTextLength} are allowed.");
            return null;
        }

        return value;
    }

    /// <summary>A three-letter ISO 4217 code (any case in, upper case out); null when absent and <paramref name="required"/> is false.</summary>
    public string? Currency(string field, bool required)
    {
        var value = row.Get(field);
        if (value is null)
        {
            if (required)
            {
                Fail(field, "Missing: give a three-letter ISO 4217 currency code such as USD.");
            }

            return null;
        }

        var upper = value.ToUpperInvariant();
        if (upper.Length != 3 || !upper.All(char.IsAsciiLetterUpper))
        {
            Fail(field, $"'{value}' is not a currency code: give three letters such as USD, EUR or CHF.");
            return null;
        }

        return upper;
    }

    /// <summary>A decimal number; null when absent (reported as missing if <paramref name="required"/>).</summary>
    public decimal? Number(string field, bool required, string? requiredBecause = null)
    {
        var value = row.Get(field);
        if (value is null)
        {
            if (required)
            {
                Fail(field, $"Missing: {requiredBecause ?? "this field is required"}.");
            }

            return null;
        }

        if (!decimal.TryParse(value, DecimalStyle, CultureInfo.InvariantCulture, out var number))
        {
            Fail(field, $"'{value}' is not a number: write it with a dot for decimals and no thousands separators, e.g. 1234.56.");
            return null;
        }

        if (Math.Abs(number) > MaxNumber)
        {
            Fail(field, $"{value} is too large: numbers may not exceed {MaxNumber:#,0} in magnitude.");
            return null;
        }

        return number;
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>.</summary>
    public DateOnly? Date(string field)
    {
        var value = row.Get(field);
        if (value is null)
        {
            Fail(field, "Missing: give the date as yyyy-MM-dd.");
            return null;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Fail(field, $"'{value}' is not a valid date: write it as yyyy-MM-dd, e.g. 2024-03-31.");
            return null;
        }

        return date;
    }

    /// <summary>Where another row is, in the words an error message uses.</summary>
    public static string Describe(int line, ImportFormat format) =>
        format == ImportFormat.Csv ? $"line {line}" : $"element {line}";
}
