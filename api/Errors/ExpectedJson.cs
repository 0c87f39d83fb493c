using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Tributary.Api.Errors;

/// <summary>
/// What a request may hold at a place in its JSON, in words a caller reads: "a string (or null)", "true or false",
/// "a JSON object with the fields cron, timeZone". Read from the serializer's own contract of the endpoint's
/// types, so it names the JSON fields as the API spells them and never a .NET type.
/// </summary>
public static partial class ExpectedJson
{
    /// <summary>What the value at <paramref name="path"/> (a System.Text.Json path such as <c>$.items[0].name</c>)
    /// must be, for a body of type <paramref name="root"/>; null when the path cannot be followed.</summary>
    public static string? At(JsonSerializerOptions options, Type root, string? path)
    {
        var type = root;
        var nullable = false;
        foreach (Match segment in PathSegment().Matches(path ?? string.Empty))
        {
            var info = TypeInfo(options, type);
            if (info is null)
            {
                return null;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value
                : segment.Groups["quoted"].Success ? segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal)
                : null;
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object when name is not null:
                    var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison));
                    if (property is null)
                    {
                        return null;
                    }

                    type = property.PropertyType;
                    nullable = !type.IsValueType && property.IsSetNullable;
                    break;
                case JsonTypeInfoKind.Dictionary when name is not null:
                case JsonTypeInfoKind.Enumerable when name is null:
                    type = info.ElementType!;
                    nullable = !type.IsValueType;
                    break;
                default:
                    return null;
            }
        }

        return Describe(options, type, nullable);
    }

    /// <summary>A value of <paramref name="type"/> in words, e.g. "a whole number (or null)".</summary>
    public static string Describe(JsonSerializerOptions options, Type type, bool nullable = false)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            type = underlying;
            nullable = true;
        }

        var value = Type.GetTypeCode(type) switch
        {
            _ when type.IsEnum => "one of the values this field allows",
            TypeCode.String => "a string",
            TypeCode.Char => "a one-character string",
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.DateTime => "a date and time in ISO 8601, e.g. 2026-03-29T01:00:00Z",
            _ when type == typeof(DateTimeOffset) => "a date and time in ISO 8601, e.g. 2026-03-29T01:00:00Z",
            _ when type == typeof(DateOnly) => "a date, e.g. 2026-03-29",
            _ when type == typeof(TimeOnly) => "a time of day, e.g. 02:30:00",
            _ when type == typeof(TimeSpan) => "a duration, e.g. 00:30:00",
            _ when type == typeof(Guid) => "a UUID, e.g. 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            _ when type == typeof(Uri) => "a URI",
            _ => Structure(options, type),
        };
        return nullable ? $"{value} (or null)" : value;
    }

    private static string Structure(JsonSerializerOptions options, Type type) => TypeInfo(options, type) switch
    {
        { Kind: JsonTypeInfoKind.Enumerable } => "a JSON array",
        { Kind: JsonTypeInfoKind.Dictionary } => "a JSON object",
        { Kind: JsonTypeInfoKind.Object, Properties.Count: > 0 } info =>
            $"a JSON object with the fields {string.Join(", ", info.Properties.Select(p => p.Name))}",
        { Kind: JsonTypeInfoKind.Object } => "a JSON object",
        _ => "a value of another JSON type",
    };

    private static JsonTypeInfo? TypeInfo(JsonSerializerOptions options, Type type)
    {
        try
        {
            return options.GetTypeInfo(type);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>One step of a System.Text.Json path: <c>.name</c>, <c>['odd.name']</c> or <c>[3]</c>.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
