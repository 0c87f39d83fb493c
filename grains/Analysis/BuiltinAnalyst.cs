using System.Globalization;
using System.Text.Json.Nodes;
using Tributary.Jobs;

namespace Tributary.Analysis;

/// <summary>
/// The built-in analytics provider: deterministic figures and sentences per section, no upstream. <c>summary</c>: market
/// value and top asset; <c>movers</c>: biggest gainers and losers; <c>allocation</c>: weights, the largest position, the
/// top-3 share and concentration (Herfindahl index); <c>performance</c>: returns per period, best and worst. Any other
/// section (a configured rule) gets a count of what it holds. Data that cannot be analysed is a permanent failure with
/// a sentence saying which field is wrong.
/// </summary>
public static class BuiltinAnalyst
{
    public const string Name = "builtin";

    public static JsonObject Analyze(string section, JsonArray items)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(items);
        var (text, figures) = section switch
        {
            "summary" => Summary(items),
            "movers" => Movers(items),
            "allocation" => Allocation(items),
            "performance" => Performance(items),
            _ => Generic(section, items),
        };
        return new JsonObject { ["section"] = section, ["provider"] = Name, ["text"] = text, ["figures"] = figures };
    }

    private static (string, JsonObject) Summary(JsonArray items)
    {
        var item = items.OfType<JsonObject>().First();
        var value = Number(item, "Market Value", "summary");
        var top = item["Top Asset"]?.ToString() ?? throw Bad("summary", "Top Asset", "is missing");
        var text = string.Create(CultureInfo.InvariantCulture, $"The portfolio is worth {value:N2}; its largest holding is {top}.");
        return (text, new JsonObject { ["market_value"] = value, ["top_asset"] = top });
    }

    private static (string, JsonObject) Movers(JsonArray items)
    {
        var movers = items.OfType<JsonObject>().SelectMany(i => i["top_movers_data"] as JsonArray ?? throw Bad("movers", "top_movers_data", "is not a list"))
            .OfType<JsonObject>()
            .Select(m => (Name: NameOf(m, "movers"), Change: Number(m, ["change_pct", "change", "return_pct"], "movers")))
            .ToList();
        if (movers.Count == 0)
        {
            throw Bad("movers", "top_movers_data", "is empty");
        }

        var gainers = movers.Where(m => m.Change > 0).OrderByDescending(m => m.Change).ThenBy(m => m.Name, StringComparer.Ordinal).Take(3).ToList();
        var losers = movers.Where(m => m.Change < 0).OrderBy(m => m.Change).ThenBy(m => m.Name, StringComparer.Ordinal).Take(3).ToList();
        string List(IEnumerable<(string Name, decimal Change)> list) =>
            string.Join(", ", list.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name} ({m.Change:+0.00;-0.00}%)")));
        var text = $"{movers.Count} movers: up {(gainers.Count == 0 ? "none" : List(gainers))}; down {(losers.Count == 0 ? "none" : List(losers))}.";
        return (text, new JsonObject
        {
            ["movers"] = movers.Count,
            ["gainers"] = new JsonArray([.. gainers.Select(g => (JsonNode)new JsonObject { ["name"] = g.Name, ["change_pct"] = g.Change })]),
            ["losers"] = new JsonArray([.. losers.Select(l => (JsonNode)new JsonObject { ["name"] = l.Name, ["change_pct"] = l.Change })]),
        });
    }

    private static (string, JsonObject) Allocation(JsonArray items)
    {
        var item = items.OfType<JsonObject>().First();
        var total = Number(item, "total_portfolio_mv", "allocation");
        if (total <= 0)
        {
            throw Bad("allocation", "total_portfolio_mv", $"must be positive to weigh the assets, was {total.ToString(CultureInfo.InvariantCulture)}");
        }

        var assets = (item["assets"] as JsonArray ?? throw Bad("allocation", "assets", "is not a list")).OfType<JsonObject>()
            .Select(a => (Name: NameOf(a, "allocation"), Value: Number(a, ["mv", "market_value", "value"], "allocation")))
            .OrderByDescending(a => a.Value).ThenBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (assets.Count == 0)
        {
            throw Bad("allocation", "assets", "is empty");
        }

        var weights = assets.Select(a => (a.Name, Weight: Math.Round(a.Value / total * 100, 2))).ToList();
        var hhi = Math.Round(assets.Sum(a => (a.Value / total) * (a.Value / total)), 4);
        var top3 = Math.Round(assets.Take(3).Sum(a => a.Value) / total * 100, 2);
        var level = hhi >= 0.25m ? "highly concentrated" : hhi >= 0.15m ? "moderately concentrated" : "diversified";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{assets.Count} assets; the largest is {weights[0].Name} at {weights[0].Weight:0.00}%, the top 3 hold {top3:0.00}%; concentration (HHI) {hhi:0.0000}: {level}.");
        return (text, new JsonObject
        {
            ["assets"] = assets.Count,
            ["weights"] = new JsonArray([.. weights.Select(w => (JsonNode)new JsonObject { ["name"] = w.Name, ["weight_pct"] = w.Weight })]),
            ["top3_pct"] = top3,
            ["hhi"] = hhi,
            ["concentration"] = level,
        });
    }

    private static (string, JsonObject) Performance(JsonArray items)
    {
        var periods = items.OfType<JsonObject>().SelectMany(i => i["performance"] as JsonArray ?? throw Bad("performance", "performance", "is not a list"))
            .OfType<JsonObject>()
            .Select(p => (Period: p["period"]?.ToString() ?? throw Bad("performance", "period", "is missing"), Return: Number(p, ["return_pct", "return"], "performance")))
            .ToList();
        if (periods.Count == 0)
        {
            throw Bad("performance", "performance", "is empty");
        }

        var best = periods.MaxBy(p => p.Return);
        var worst = periods.MinBy(p => p.Return);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{periods.Count} periods: best {best.Period} ({best.Return:+0.00;-0.00}%), worst {worst.Period} ({worst.Return:+0.00;-0.00}%).");
        return (text, new JsonObject
        {
            ["periods"] = periods.Count,
            ["best"] = new JsonObject { ["period"] = best.Period, ["return_pct"] = best.Return },
            ["worst"] = new JsonObject { ["period"] = worst.Period, ["return_pct"] = worst.Return },
        });
    }

    private static (string, JsonObject) Generic(string section, JsonArray items)
    {
        var fields = items.OfType<JsonObject>().Sum(i => i.Count);
        return ($"Section {section}: {items.Count} item(s) with {fields} field(s).", new JsonObject { ["items"] = items.Count, ["fields"] = fields });
    }

    private static string NameOf(JsonObject item, string section) =>
        (item["name"] ?? item["asset"] ?? item["symbol"])?.ToString() ?? throw Bad(section, "name", "is missing in an entry");

    private static decimal Number(JsonObject item, string key, string section) => Number(item, [key], section);

    private static decimal Number(JsonObject item, string[] keys, string section)
    {
        foreach (var key in keys)
        {
            if (item[key] is JsonValue value)
            {
                if (value.TryGetValue<decimal>(out var number))
                {
                    return number;
                }

                if (value.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out number))
                {
                    return number;
                }

                throw Bad(section, key, $"is not a number ('{value}')");
            }
        }

        throw Bad(section, keys[0], "is missing");
    }

    private static PermanentBatchException Bad(string section, string field, string what) =>
        new($"Section {section}: {field} {what}.");
}
