using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.MarketData;

/// <summary>Fails start-up with a sentence naming the market-data setting that is wrong.</summary>
public sealed class MarketDataFeedOptionsValidator : IValidateOptions<MarketDataFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, MarketDataFeedOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{MarketDataFeedOptions.Section}:ApiKey must be set: the value clients send in the '{MarketDataRoutes.ApiKeyHeader}' header.");
        }

        if (string.IsNullOrWhiteSpace(options.SymbolPattern))
        {
            failures.Add($"{MarketDataFeedOptions.Section}:SymbolPattern must be set: a regular expression every known symbol matches, such as {MarketDataFeedOptions.DefaultSymbolPattern}.");
        }
        else
        {
            try
            {
                _ = new Regex(options.SymbolPattern, RegexOptions.CultureInvariant, SymbolUniverse.MatchTimeout);
            }
            catch (ArgumentException exception)
            {
                failures.Add($"{MarketDataFeedOptions.Section}:SymbolPattern must be a valid regular expression; '{options.SymbolPattern}' is not: {exception.Message}");
            }
        }

        for (var i = 0; i < options.UnknownSymbols.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.UnknownSymbols[i]))
            {
                failures.Add($"{MarketDataFeedOptions.Section}:UnknownSymbols:{i} must be a symbol; was empty.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
