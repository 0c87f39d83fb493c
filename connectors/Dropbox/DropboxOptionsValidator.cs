using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Dropbox;

/// <summary>
/// Fails start-up with a sentence naming the <c>Dropbox</c> setting that is wrong; never quotes the app secret nor
/// the refresh token.
/// </summary>
public sealed class DropboxOptionsValidator : IValidateOptions<DropboxOptions>
{
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromMinutes(1);

    public const int MaxListLimit = 2000;

    public ValidateOptionsResult Validate(string? name, DropboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = DropboxOptions.Section;
        var failures = new List<string>();
        CheckUrl(failures, "OAuthUrl", options.OAuthUrl, "the OAuth host root, such as https://api.dropboxapi.com/ (http://127.0.0.1:5090/dropbox/ for the simulators)");
        CheckUrl(failures, "ApiUrl", options.ApiUrl, "the RPC host root, such as https://api.dropboxapi.com/ (http://127.0.0.1:5090/dropbox/api/ for the simulators)");
        CheckUrl(failures, "ContentUrl", options.ContentUrl, "the content host root, such as https://content.dropboxapi.com/ (http://127.0.0.1:5090/dropbox/content/ for the simulators)");
        if (string.IsNullOrWhiteSpace(options.AppKey))
        {
            failures.Add($"{S}:AppKey is required: the Dropbox app's key (client_id).");
        }

        if (string.IsNullOrWhiteSpace(options.AppSecret))
        {
            failures.Add($"{S}:AppSecret is required: the Dropbox app's secret, from configuration or the environment (Dropbox__AppSecret).");
        }

        if (string.IsNullOrWhiteSpace(options.RefreshToken))
        {
            failures.Add($"{S}:RefreshToken is required: the refresh token of the app's authorization, from configuration or the environment (Dropbox__RefreshToken).");
        }

        if (options.UploadSessionThreshold is < DropboxOptions.MinUploadSessionThreshold or > DropboxOptions.MaxUploadSessionThreshold)
        {
            failures.Add($"{S}:UploadSessionThreshold must be {DropboxOptions.MinUploadSessionThreshold}..{DropboxOptions.MaxUploadSessionThreshold} bytes (1 KiB..150 MiB), was {options.UploadSessionThreshold}.");
        }

        if (options.ListLimit is < 1 or > MaxListLimit)
        {
            failures.Add($"{S}:ListLimit must be 1..{MaxListLimit}, was {options.ListLimit}.");
        }

        if (options.DeleteBatchPollInterval < TimeSpan.Zero || options.DeleteBatchPollInterval > MaxPollInterval)
        {
            failures.Add($"{S}:DeleteBatchPollInterval must be 00:00:00..{MaxPollInterval:c}, was {options.DeleteBatchPollInterval:c}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"{S}:Timeout must be more than 00:00:00 and at most {MaxTimeout:c}, was {options.Timeout:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(List<string> failures, string setting, Uri? url, string what)
    {
        var key = $"{DropboxOptions.Section}:{setting}";
        if (url is null || string.IsNullOrWhiteSpace(url.OriginalString))
        {
            failures.Add($"{key} is required: {what}.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key} must be an absolute http or https URL; was '{url.OriginalString}'.");
        }
    }
}
