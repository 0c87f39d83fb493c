using System.Text.Json.Nodes;
using Tributary.Connectors;
using Tributary.Connectors.AiPlatform;
using Tributary.Storage.Analysis;
using Tributary.Storage.Secrets;

namespace Tributary.Analysis;

/// <summary>
/// The AI platform as the provider (<c>Tasks:Provider=platform</c>): at submit the user's login is exchanged for a
/// token, which is stored Data Protection-encrypted with the task (the password is dropped there and then); each section
/// is one analysis call with it. The token goes when the task ends.
/// </summary>
public sealed class PlatformAnalysisProvider(AiPlatformClient client, SecretProtector protector) : IAnalysisProvider
{
    /// <summary>The Data Protection purpose of stored platform tokens.</summary>
    public const string TokenPurpose = "analysis-task-platform-token";

    public string Name => TaskOptions.PlatformProvider;

    public string? Upstream => AiPlatformClient.Upstream;

    public async Task<string?> LoginAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username))
        {
            throw new TaskRequestInvalidException("username", "Required with the AI platform (Tasks:Provider=platform): the platform user the analysis runs as.");
        }

        if (string.IsNullOrEmpty(password))
        {
            throw new TaskRequestInvalidException("password", "Required with the AI platform (Tasks:Provider=platform); it is exchanged for a token and not kept.");
        }

        try
        {
            var token = await client.LoginAsync(username, password, cancellationToken);
            return await protector.ProtectAsync(TokenPurpose, token.AccessToken, cancellationToken);
        }
        catch (UpstreamException exception) when (exception.StatusCode == 401)
        {
            throw new TaskLoginRefusedException(exception.Message);
        }
    }

    public async Task<JsonObject> AnalyzeAsync(AnalysisTaskRecord task, DetectedSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(section);
        if (task.ProtectedToken is not { } protectedToken)
        {
            throw new Jobs.PermanentBatchException($"Section {section.Name}: the task has no platform token (it ended, or was submitted to another provider).");
        }

        var token = await protector.UnprotectAsync(TokenPurpose, protectedToken, cancellationToken);
        var analysis = await client.AnalyzeAsync(token, section.Name, section.Items, cancellationToken);
        return new JsonObject
        {
            ["section"] = analysis.Section,
            ["provider"] = Name,
            ["text"] = analysis.Text,
            ["model"] = analysis.Model,
            ["tokens"] = analysis.Tokens,
        };
    }
}
