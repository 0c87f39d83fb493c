using Microsoft.Extensions.Options;

namespace Tributary.Connectors.MarketData;

/// <summary>Fails start-up with a sentence naming the <c>MarketData</c> setting that is wrong.</summary>
public sealed class MarketDataOptionsValidator : IValidateOptions<MarketDataOptions>
{
    /// <summary>The longest attempt timeout accepted: beyond it a hung call would stall a batch for too long.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, MarketDataOptions options)
    {
        var failures = new List<string>();
        const string section = MarketDataOptions.Section;
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add($"{section}:BaseUrl must be set: the feed's API root, such as http://127.0.0.1:5090/marketdata/v1/ for the simulators.");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{section}:BaseUrl must be an absolute http or https URL, such as http://127.0.0.1:5090/marketdata/v1/; was '{options.BaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"{section}:ApiKey must be set: the key the feed expects in the X-Api-Key header.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{section}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        if (options.MaxSymbolsPerCall is < 1 or > MarketDataOptions.FeedMaxSymbolsPerCall)
        {
            failures.Add($"{section}:MaxSymbolsPerCall must be 1..{MarketDataOptions.FeedMaxSymbolsPerCall} (the feed refuses more), was {options.MaxSymbolsPerCall}.");
        }

        if (options.MaxDaysPerCall is < 1 or > MarketDataOptions.FeedMaxDaysPerCall)
        {
            failures.Add($"{section}:MaxDaysPerCall must be 1..{MarketDataOptions.FeedMaxDaysPerCall} (the feed refuses more), was {options.MaxDaysPerCall}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
