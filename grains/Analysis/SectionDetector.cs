using System.Text.Json.Nodes;

namespace Tributary.Analysis;

/// <summary>Finds the sections of a task's <c>data</c>: for each rule in order, the items that hold all of its keys.</summary>
public static class SectionDetector
{
    /// <summary>The sections found, each with its items; an item may belong to several sections.</summary>
    public static IReadOnlyList<DetectedSection> Detect(JsonArray data, IReadOnlyList<SectionRule> rules)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rules);
        var sections = new List<DetectedSection>();
        foreach (var rule in rules)
        {
            var items = new JsonArray();
            foreach (var item in data.OfType<JsonObject>())
            {
                if (rule.Keys.All(item.ContainsKey))
                {
                    items.Add(item.DeepClone());
                }
            }

            if (items.Count > 0)
            {
                sections.Add(new DetectedSection(rule.Name, items));
            }
        }

        return sections;
    }
}

/// <summary>A section of a task and the items it covers.</summary>
public sealed record DetectedSection(string Name, JsonArray Items);
