using System.Text.Json;

namespace Tributary.Simulators.Dropbox;

/// <summary>
/// Reads the JSON arguments of a call (an RPC body or the <c>Dropbox-API-Arg</c> header) the way Dropbox checks them:
/// a missing or mistyped field is a 400 naming it.
/// </summary>
public sealed class DropboxArguments
{
    private readonly JsonElement _root;

    private DropboxArguments(JsonElement root) => _root = root;

    /// <summary>The first problem met while reading, as Dropbox words it; null while all is well.</summary>
    public string? Problem { get; private set; }

    /// <summary>Parses <paramref name="json"/>; null, with the reason, when it is not a JSON object.</summary>
    public static DropboxArguments? Parse(string? json, string what, out string? reason)
    {
        reason = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            reason = $"{what}: expected a JSON object, got nothing.";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                reason = $"{what}: expected a JSON object.";
                return null;
            }

            return new DropboxArguments(document.RootElement.Clone());
        }
        catch (JsonException exception)
        {
            reason = $"{what}: could not decode input as JSON ({exception.Message})";
            return null;
        }
    }

    /// <summary>Reads the body of an RPC call.</summary>
    public static async Task<(DropboxArguments? Arguments, string? Reason)> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var arguments = Parse(text, "request body", out var reason);
        return (arguments, reason);
    }

    public string? String(string name, bool required = true)
    {
        if (_root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Fail(name, required || _root.TryGetProperty(name, out _) ? "expected a string" : null);
        return null;
    }

    public bool Bool(string name, bool fallback)
    {
        if (!_root.TryGetProperty(name, out var value))
        {
            return fallback;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Fail(name, "expected a boolean");
        return fallback;
    }

    public long? Long(string name)
    {
        if (!_root.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        Fail(name, "expected an integer");
        return null;
    }

    /// <summary>A union given as <c>"add"</c> or <c>{".tag":"add"}</c>.</summary>
    public string? Tag(string name)
    {
        if (!_root.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(".tag", out var tag) && tag.ValueKind == JsonValueKind.String)
        {
            return tag.GetString();
        }

        Fail(name, "expected a tag");
        return null;
    }

    public DropboxArguments? Object(string name)
    {
        if (_root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            return new DropboxArguments(value);
        }

        Fail(name, "expected an object");
        return null;
    }

    public IReadOnlyList<DropboxArguments>? Array(string name)
    {
        if (_root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array)
        {
            return [.. value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object ? new DropboxArguments(item) : null!)];
        }

        Fail(name, "expected a list");
        return null;
    }

    /// <summary>Carries a nested read's problem up, prefixed with its field.</summary>
    public void Adopt(string name, DropboxArguments? inner)
    {
        if (inner?.Problem is { } problem)
        {
            Problem ??= $"{name}.{problem}";
        }
    }

    private void Fail(string name, string? what)
    {
        if (what is not null)
        {
            Problem ??= _root.TryGetProperty(name, out _) ? $"{name}: {what}." : $"missing required field '{name}'.";
        }
    }
}
