using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Credinvest;

/// <summary>Checks <see cref="CredinvestOptions"/> at start-up, each problem a sentence naming the setting.</summary>
public sealed class CredinvestOptionsValidator : IValidateOptions<CredinvestOptions>
{
    public ValidateOptionsResult Validate(string? name, CredinvestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var at = CredinvestOptions.Section;
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            problems.Add($"{at}:Host is required: the Credinvest SFTP server's host name or address.");
        }

        if (options.Port is < 1 or > 65535)
        {
            problems.Add($"{at}:Port must be 1..65535, was {options.Port}.");
        }

        if (string.IsNullOrWhiteSpace(options.Username))
        {
            problems.Add($"{at}:Username is required.");
        }

        if (string.IsNullOrEmpty(options.Password) && string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            problems.Add($"{at}:Password or {at}:PrivateKeyPath is required (or both): how to log in.");
        }
        else if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath) && !File.Exists(options.PrivateKeyPath))
        {
            problems.Add($"{at}:PrivateKeyPath names a file that does not exist: {options.PrivateKeyPath}.");
        }

        if (HostKeyFingerprint.Normalise(options.HostKeyFingerprint) is null)
        {
            problems.Add($"{at}:HostKeyFingerprint is required: the server's SHA256 host key fingerprint, e.g. SHA256:Ix3iOo+zPhPQ...; "
                + "'ssh-keyscan -p PORT HOST | ssh-keygen -l -E sha256 -f -' prints it (check it with Credinvest out of band).");
        }

        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            problems.Add($"{at}:Directory must not be empty; leave it out for the login's start directory.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{at}:Timeout must be positive, was {options.Timeout}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
