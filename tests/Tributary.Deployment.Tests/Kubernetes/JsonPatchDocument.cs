namespace Tributary.Deployment.Tests.Kubernetes;

/// <summary>
/// RFC 6902 JSON patches as kustomize's <c>patches</c> apply them: <c>add</c>, <c>replace</c> and <c>remove</c> on
/// RFC 6901 pointers. Any other operation fails, so an overlay cannot use one this render would skip.
/// </summary>
public static class JsonPatchDocument
{
    public static void Apply(JsonNode target, JsonArray operations, string source)
    {
        foreach (var operation in operations.Select(o => o!.AsObject()))
        {
            var op = (string?)operation["op"];
            var path = (string?)operation["path"] ?? throw new InvalidOperationException($"{source}: a patch operation without a path.");
            var segments = path.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            var parent = Walk(target, segments[..^1], source, path);
            var last = segments[^1];
            switch (op)
            {
                case "replace":
                    Require(Exists(parent, last), source, $"replace of {path}, which does not exist");
                    Set(parent, last, operation["value"]?.DeepClone(), insert: false);
                    break;
                case "add":
                    Set(parent, last, operation["value"]?.DeepClone(), insert: true);
                    break;
                case "remove":
                    Require(Exists(parent, last), source, $"remove of {path}, which does not exist");
                    if (parent is JsonArray array)
                    {
                        array.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        parent.AsObject().Remove(last);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"{source}: patch operation '{op}' is not one this render applies (add, replace, remove).");
            }
        }
    }

    private static JsonNode Walk(JsonNode node, IEnumerable<string> segments, string source, string path)
    {
        foreach (var segment in segments)
        {
            node = node switch
            {
                JsonArray array when int.TryParse(segment, out var index) && index < array.Count => array[index]!,
                JsonObject obj when obj[segment] is { } child => child,
                _ => throw new InvalidOperationException($"{source}: {path} does not exist (at '{segment}')."),
            };
        }

        return node;
    }

    private static bool Exists(JsonNode parent, string last) => parent switch
    {
        JsonArray array => int.TryParse(last, out var index) && index < array.Count,
        JsonObject obj => obj.ContainsKey(last),
        _ => false,
    };

    private static void Set(JsonNode parent, string last, JsonNode? value, bool insert)
    {
        if (parent is JsonArray array)
        {
            if (last == "-")
            {
                array.Add(value);
            }
            else if (insert)
            {
                array.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value);
            }
            else
            {
                array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
            }
        }
        else
        {
            parent.AsObject()[last] = value;
        }
    }

    private static void Require(bool condition, string source, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{source}: {what}.");
        }
    }
}
