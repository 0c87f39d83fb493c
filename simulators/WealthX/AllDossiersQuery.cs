using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// The parsed query of <c>alldossiers</c>, or the 400 to send. Parsed by hand rather than bound, so every refusal
/// says which parameter is wrong and why.
/// </summary>
/// <remarks><c>dossierType</c>, <c>view</c>, <c>fields</c> and <c>idOnly</c> are accepted and ignored.</remarks>
public sealed record AllDossiersQuery(int FromIndex, int ToIndex, LastModifiedFilter Filter)
{
    public static (AllDossiersQuery? Query, WealthXError? Error) Parse(IQueryCollection query, int maxRecordsPerCall = WealthXRoutes.MaxRecordsPerCall)
    {
        if (ReadIndex(query, "fromIndex", "the 1-based index of the first record to return", out var from) is { } fromError)
        {
            return (null, fromError);
        }

        if (ReadIndex(query, "toIndex", "the 1-based index of the last record to return, inclusive", out var to) is { } toError)
        {
            return (null, toError);
        }

        if (from < 1)
        {
            return (null, Invalid($"fromIndex must be 1 or more (indexes are 1-based); was {from}."));
        }

        if (to < from)
        {
            return (null, Invalid($"toIndex must not be less than fromIndex (toIndex is inclusive); was fromIndex={from}, toIndex={to}."));
        }

        var requested = (long)to - from + 1;
        if (requested > maxRecordsPerCall)
        {
            return (null, new WealthXError(
                WealthXError.RangeTooLarge,
                $"Requested {requested} records (fromIndex={from}, toIndex={to}); at most {maxRecordsPerCall} per call."));
        }

        if (ReadDate(query, "lastModifiedFrom", out var modifiedFrom) is { } modifiedFromError)
        {
            return (null, modifiedFromError);
        }

        if (ReadDate(query, "lastModifiedTo", out var modifiedTo) is { } modifiedToError)
        {
            return (null, modifiedToError);
        }

        if (modifiedFrom > modifiedTo)
        {
            return (null, Invalid($"lastModifiedFrom must not be after lastModifiedTo; was {modifiedFrom:yyyy-MM-dd} > {modifiedTo:yyyy-MM-dd}."));
        }

        return (new AllDossiersQuery(from, to, new LastModifiedFilter(modifiedFrom, modifiedTo)), null);
    }

    private static WealthXError? ReadIndex(IQueryCollection query, string name, string meaning, out int value)
    {
        value = 0;
        if (Single(query, name, out var text) is { } error)
        {
            return error;
        }

        if (text is null)
        {
            return new WealthXError(WealthXError.MissingParameter, $"{name} is required: {meaning}.");
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
            ? null
            : Invalid($"{name} must be a whole number; was '{text}'.");
    }

    private static WealthXError? ReadDate(IQueryCollection query, string name, out DateOnly? value)
    {
        value = null;
        if (Single(query, name, out var text) is { } error)
        {
            return error;
        }

        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Invalid($"{name} must be a date in yyyy-MM-dd form; was '{text}'.");
        }

        value = date;
        return null;
    }

    private static WealthXError? Single(IQueryCollection query, string name, out string? text)
    {
        text = null;
        if (!query.TryGetValue(name, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            return Invalid($"{name} must be given once; was given {values.Count} times.");
        }

        text = values[0];
        return null;
    }

    private static WealthXError Invalid(string message) => new(WealthXError.InvalidParameter, message);
}
