using Spectre.Console;

namespace Tributary.Cli;

/// <summary>
/// Where a run of the command line writes and what it reads of its surroundings: stdout and stderr, whether stdout is a
/// terminal (progress bars and tables) or not (plain JSON), the environment variables it knows, the repository root
/// (for <c>.data/admin-key</c>), and the console progress bars draw on.
/// </summary>
/// <remarks>Everything is passed in, so a test runs the command line in its own process with captured writers.</remarks>
public sealed record CliTerminal(
    TextWriter Out,
    TextWriter Error,
    bool OutputIsTerminal,
    IReadOnlyDictionary<string, string?> Environment,
    string Root,
    Func<IAnsiConsole> ProgressConsole)
{
    /// <summary>The variables the command line reads; nothing else of the process environment is looked at.</summary>
    public static readonly IReadOnlyList<string> KnownVariables =
        ["TRIBUTARY_URL", "TRIBUTARY_API_KEY", "TRIBUTARY_ADMIN_KEY", "TRIBUTARY_API_PORT", "TRIBUTARY_ROOT"];

    /// <summary>The process's own console and environment; the root is <c>TRIBUTARY_ROOT</c> (set by <c>./tributary</c>) or the current folder.</summary>
    public static CliTerminal FromProcess()
    {
        var environment = KnownVariables.ToDictionary(name => name, System.Environment.GetEnvironmentVariable, StringComparer.Ordinal);
        var root = environment["TRIBUTARY_ROOT"] is { Length: > 0 } given ? given : Directory.GetCurrentDirectory();
        return new CliTerminal(Console.Out, Console.Error, !Console.IsOutputRedirected, environment, root, () => AnsiConsole.Console);
    }

    public string? Variable(string name) => Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
