using Microsoft.Extensions.Options;

namespace Tributary.Simulators.TrueLayer;

/// <summary>Fails start-up with a sentence naming the TrueLayer setting that is wrong.</summary>
public sealed class TrueLayerOptionsValidator : IValidateOptions<TrueLayerOptions>
{
    public ValidateOptionsResult Validate(string? name, TrueLayerOptions options)
    {
        const string S = TrueLayerOptions.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{S}:ClientId must be set: the client_id the dialog and the token endpoint accept.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add($"{S}:ClientSecret must be set: the client_secret the token endpoint accepts.");
        }

        Range(failures, "AccountsPerConsent", options.AccountsPerConsent, 0, TrueLayerOptions.MaxAccounts);
        Range(failures, "CardsPerConsent", options.CardsPerConsent, 0, TrueLayerOptions.MaxAccounts);
        if (options.AccountsPerConsent + options.CardsPerConsent < 1)
        {
            failures.Add($"{S}:AccountsPerConsent plus {S}:CardsPerConsent must be at least 1, so a consent has something to read; both are 0.");
        }

        Range(failures, "TransactionsPerAccount", options.TransactionsPerAccount, 0, TrueLayerOptions.MaxTransactionsPerAccount);
        Range(failures, "PendingPerAccount", options.PendingPerAccount, 0, TrueLayerOptions.MaxPendingPerAccount);
        Range(failures, "HistoryDays", options.HistoryDays, 1, TrueLayerOptions.MaxHistoryDays);
        Range(failures, "ConsentDays", options.ConsentDays, 1, TrueLayerOptions.MaxConsentDays);
        Range(failures, "ScaWindowMinutes", options.ScaWindowMinutes, 0, TrueLayerOptions.MaxScaWindowMinutes);
        Range(failures, "AccessTokenSeconds", options.AccessTokenSeconds, 1, TrueLayerOptions.MaxAccessTokenSeconds);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{TrueLayerOptions.Section}:{key} must be {min}..{max}, was {value}.");
        }
    }
}
