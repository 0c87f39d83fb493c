namespace Tributary.TrueLayer;

/// <summary>How imported transactions are categorised. Section <c>TrueLayer:Enrichment</c>.</summary>
public sealed class EnrichmentOptions
{
    public const string Section = "TrueLayer:Enrichment";

    /// <summary>
    /// Rules tried in order; the first whose text is in the transaction's field (case-insensitive) gives the category.
    /// Empty means <see cref="DefaultRules"/> (a list set in configuration replaces them rather than adding to them).
    /// </summary>
    public List<CategoryRule> Rules { get; set; } = [];

    /// <summary>When no rule matches, take the bank's own classification (TrueLayer's <c>transaction_classification</c>, else its category).</summary>
    public bool UseBankClassification { get; set; } = true;

    /// <summary>Transactions read and written per round trip.</summary>
    public int PageSize { get; set; } = 1_000;

    public static IReadOnlyList<CategoryRule> DefaultRules { get; } =
    [
        new() { Field = "merchant", Contains = "TESCO", Category = "Groceries" },
        new() { Field = "merchant", Contains = "SAINSBURY", Category = "Groceries" },
        new() { Field = "merchant", Contains = "ASDA", Category = "Groceries" },
        new() { Field = "merchant", Contains = "AMAZON", Category = "Shopping" },
        new() { Field = "merchant", Contains = "UBER", Category = "Transport" },
        new() { Field = "merchant", Contains = "TFL", Category = "Transport" },
        new() { Field = "merchant", Contains = "NETFLIX", Category = "Subscriptions" },
        new() { Field = "merchant", Contains = "SPOTIFY", Category = "Subscriptions" },
        new() { Field = "description", Contains = "SALARY", Category = "Income" },
        new() { Field = "description", Contains = "RENT", Category = "Housing" },
    ];

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<CategoryRule> EffectiveRules => Rules.Count > 0 ? Rules : DefaultRules;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.Field is not ("merchant" or "description"))
            {
                problems.Add($"{Section}:Rules:{i}:Field must be 'merchant' or 'description', was '{rule.Field}'.");
            }

            if (string.IsNullOrWhiteSpace(rule.Contains))
            {
                problems.Add($"{Section}:Rules:{i}:Contains must not be empty.");
            }

            if (string.IsNullOrWhiteSpace(rule.Category) || rule.Category.Length > 100)
            {
                problems.Add($"{Section}:Rules:{i}:Category must be 1..100 characters.");
            }
        }

        if (PageSize is < 10 or > 10_000)
        {
            problems.Add($"{Section}:PageSize must be 10..10000, was {PageSize}.");
        }

        return problems;
    }
}
