using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Dropbox;

/// <summary>Fails start-up with a sentence naming the Dropbox setting that is wrong.</summary>
public sealed class DropboxOptionsValidator : IValidateOptions<DropboxOptions>
{
    public ValidateOptionsResult Validate(string? name, DropboxOptions options)
    {
        const string S = DropboxOptions.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AppKey))
        {
            failures.Add($"{S}:AppKey must be set: the client_id the token endpoint accepts.");
        }

        if (string.IsNullOrWhiteSpace(options.AppSecret))
        {
            failures.Add($"{S}:AppSecret must be set: the client_secret the token endpoint accepts.");
        }

        if (string.IsNullOrWhiteSpace(options.RefreshToken))
        {
            failures.Add($"{S}:RefreshToken must be set: the refresh_token the token endpoint accepts.");
        }

        Range(failures, "AccessTokenSeconds", options.AccessTokenSeconds, 1, DropboxOptions.MaxAccessTokenSeconds);
        Range(failures, "ContentionRetryAfterSeconds", options.ContentionRetryAfterSeconds, 0, DropboxOptions.MaxContentionRetryAfterSeconds);
        Range(failures, "DeleteBatchInProgressChecks", options.DeleteBatchInProgressChecks, 0, DropboxOptions.MaxDeleteBatchInProgressChecks);
        Range(failures, "UploadLimitBytes", options.UploadLimitBytes, 1024, DropboxOptions.MaxUploadLimitBytes);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{DropboxOptions.Section}:{key} must be {min}..{max}, was {value}.");
        }
    }
}
