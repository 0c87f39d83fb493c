using System.Globalization;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>Gives a transaction its category: the configured rules first, then the bank's own classification.</summary>
public sealed class TransactionCategoriser(EnrichmentOptions options)
{
    /// <summary>The category, or null when no rule matches and the bank gave none (or is not to be asked).</summary>
    public TransactionCategory? Categorise(UncategorisedTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        foreach (var rule in options.EffectiveRules)
        {
            var text = rule.Field == "description" ? transaction.Description : transaction.MerchantName;
            if (text is not null && text.Contains(rule.Contains, StringComparison.OrdinalIgnoreCase))
            {
                return new TransactionCategory(transaction.Id, rule.Category, "rules");
            }
        }

        if (!options.UseBankClassification)
        {
            return null;
        }

        if (transaction.Classification is [{ Length: > 0 } primary, ..])
        {
            return new TransactionCategory(transaction.Id, primary, "bank");
        }

        return transaction.TransactionCategory is { Length: > 0 } category
            ? new TransactionCategory(transaction.Id, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(category.Replace('_', ' ').ToLowerInvariant()), "bank")
            : null;
    }
}
