using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Admin;

/// <summary>
/// Reads admin request bodies so that unreadable JSON becomes a 400 problem+json naming the body, like every
/// other admin validation error, instead of the framework's bare 400.
/// </summary>
public static class AdminBody
{
    /// <summary>The body as <typeparamref name="T"/>; <c>default</c> when the body is empty.</summary>
    public static async Task<AdminBodyRead<T>> ReadAsync<T>(HttpRequest request)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AdminBodyRead<T>(default, null);
        }

        try
        {
            return new AdminBodyRead<T>(JsonSerializer.Deserialize<T>(text, options), null);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is null ? string.Empty : $" at {exception.Path}";
            return new AdminBodyRead<T>(default, Invalid("body", $"body is not valid JSON for this endpoint{where}: {exception.Message}"));
        }
    }

    /// <summary>A 400 problem+json whose <c>errors</c> name the field.</summary>
    public static IResult Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 400 problem+json whose <c>errors</c> name the fields and whose detail is the first message.</summary>
    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: errors.Values.SelectMany(messages => messages).FirstOrDefault());
}
