using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tributary.Api.Errors;

/// <summary>
/// Text the gateway accepts: no NUL character (PostgreSQL cannot store it in text: error 22021) and no lone UTF-16
/// surrogate (not a character at all). Checked where text enters: query strings and route values
/// (<see cref="UseStorableText"/>) and JSON bodies (<see cref="StorableStringConverter"/>), so a bad value is a 400
/// naming its field and nothing reaches the grains or the database.
/// </summary>
public static class StorableText
{
    /// <summary>Why <paramref name="text"/> cannot be taken, or null when it can.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return $"Must not contain the NUL character (U+0000, at position {i}).";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return LoneSurrogate(i);
            }
        }

        return null;
    }

    internal static string LoneSurrogate(int? position) =>
        $"Must be valid Unicode text: a lone UTF-16 surrogate (U+D800..U+DFFF without its pair){(position is { } at ? $" is at position {at}" : string.Empty)}.";

    /// <summary>
    /// Refuses a request whose query string or route values hold text that cannot be taken: a 400 validation problem
    /// naming the parameter. After routing, so route values are known.
    /// </summary>
    public static IApplicationBuilder UseStorableText(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Query)
        {
            if (Problem(name) is { } nameProblem)
            {
                errors["query"] = [$"A parameter name: {nameProblem}"];
            }

            foreach (var value in values)
            {
                if (Problem(value) is { } problem)
                {
                    errors[name] = [problem];
                }
            }
        }

        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && Problem(text) is { } problem)
            {
                errors[name] = [problem];
            }
        }

        if (Problem(context.Request.Path.Value) is { } pathProblem && errors.Count == 0)
        {
            errors["path"] = [pathProblem];
        }

        if (errors.Count == 0)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")),
            },
        });
    });
}

/// <summary>A JSON string the gateway cannot take (<see cref="StorableText.Problem"/>); the handler names its field.</summary>
public sealed class UnstorableTextException(string reason) : JsonException(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads every JSON string of a request body through <see cref="StorableText.Problem"/> (values and dictionary
/// keys); a value of another JSON type fails exactly as with the default converter.
/// </summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(ref reader)!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string? Checked(ref Utf8JsonReader reader)
    {
        string? value;
        try
        {
            value = reader.GetString();
        }
        catch (InvalidOperationException) when (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            // The reader refuses to unescape a lone surrogate (\uD800): the text is not Unicode.
            throw new UnstorableTextException(StorableText.LoneSurrogate(position: null));
        }

        return StorableText.Problem(value) is { } problem ? throw new UnstorableTextException(problem) : value;
    }
}
