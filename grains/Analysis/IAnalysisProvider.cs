using System.Text.Json.Nodes;
using Tributary.Storage.Analysis;

namespace Tributary.Analysis;

/// <summary>What analyses a section: the built-in analytics or the AI platform (<c>Tasks:Provider</c>).</summary>
public interface IAnalysisProvider
{
    /// <summary><c>builtin</c> or <c>platform</c>, stored with each task.</summary>
    string Name { get; }

    /// <summary>The upstream the provider calls (its rate limiter and circuit breaker), or null.</summary>
    string? Upstream { get; }

    /// <summary>
    /// At submit: exchanges the caller's login for what the task needs later (the platform's token, already protected
    /// for storage), or null when the provider needs none. The password is used here and dropped.
    /// </summary>
    /// <exception cref="TaskLoginRefusedException">The platform refused the login.</exception>
    /// <exception cref="TaskRequestInvalidException">The provider needs a login the request lacks.</exception>
    Task<string?> LoginAsync(string? username, string? password, CancellationToken cancellationToken);

    /// <summary>One section's analysis: <c>{section, provider, text, figures?}</c>.</summary>
    Task<JsonObject> AnalyzeAsync(AnalysisTaskRecord task, DetectedSection section, CancellationToken cancellationToken);
}

/// <summary>A submit the provider cannot take: the field, and why.</summary>
public sealed class TaskRequestInvalidException(string field, string reason) : Exception(reason)
{
    public string Field { get; } = field;
}

/// <summary>The analysis platform refused a user's login; the message is the platform's sentence, never a credential.</summary>
public sealed class TaskLoginRefusedException(string message) : Exception(message);

/// <summary>The built-in analytics (<see cref="BuiltinAnalyst"/>): no login, no upstream.</summary>
public sealed class BuiltinAnalysisProvider : IAnalysisProvider
{
    public string Name => BuiltinAnalyst.Name;

    public string? Upstream => null;

    public Task<string?> LoginAsync(string? username, string? password, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<JsonObject> AnalyzeAsync(AnalysisTaskRecord task, DetectedSection section, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        return Task.FromResult(BuiltinAnalyst.Analyze(section.Name, section.Items));
    }
}
