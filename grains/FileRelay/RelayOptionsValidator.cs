using Microsoft.Extensions.Options;

namespace Tributary.FileRelay;

/// <summary>Checks <see cref="RelayOptions"/> at start-up, each problem a sentence naming its setting.</summary>
public sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DropboxFolder) || !options.DropboxFolder.StartsWith('/') || options.DropboxFolder.Length < 2
            || options.DropboxFolder.EndsWith('/') || options.DropboxFolder.Contains("//", StringComparison.Ordinal))
        {
            problems.Add($"Relay:DropboxFolder must be a Dropbox folder such as /cred (a leading slash, no trailing one), was '{options.DropboxFolder}'.");
        }

        if (string.IsNullOrWhiteSpace(options.DownloadDirectory) || !Path.IsPathFullyQualified(options.DownloadDirectory))
        {
            problems.Add($"Relay:DownloadDirectory must be an absolute folder on the silo, was '{options.DownloadDirectory}'.");
        }

        if (options.UploadInterval < TimeSpan.Zero || options.UploadInterval > TimeSpan.FromMinutes(1))
        {
            problems.Add($"Relay:UploadInterval must be 0..00:01:00, was {options.UploadInterval}.");
        }

        if (options.MaxThrottledWaits is < 0 or > 1_000)
        {
            problems.Add($"Relay:MaxThrottledWaits must be 0..1000, was {options.MaxThrottledWaits}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
