using System.Diagnostics;

namespace Tributary.Bench;

/// <summary>
/// The gen0 budget every Tributary process runs with (<c>./run.sh</c>, the images): <c>DOTNET_GCgen0size</c>. The runtime
/// reads it only from the environment and only at start (a project file's runtime option of that name is ignored), so the
/// benchmark, whose own process hosts the gateway and whose silos inherit its environment, starts itself again with it
/// when it was not given.
/// </summary>
/// <remarks>
/// Without it, the runtime sizes gen0 from the L3 cache: 150 MB for this machine's 300 MB. A silo then collects every 13 s
/// or so, and each collection finds 13 s of new activations alive, 40-85 ms of pause in which every submit waits.
/// </remarks>
internal static class Gen0Budget
{
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>4 MB, in the runtime's hexadecimal; the same default as <c>./run.sh</c> and the <c>Dockerfile</c>.</summary>
    public const string Default = "0x400000";

    /// <summary>The budget this process runs with, as given.</summary>
    public static string Current => Environment.GetEnvironmentVariable(Variable) ?? "the runtime's own (from the L3 cache)";

    /// <summary>
    /// Runs the benchmark in a child process with <see cref="Variable"/> set to <see cref="Default"/> and returns its exit
    /// code; null when the variable is set already (the caller runs the benchmark itself).
    /// </summary>
    public static async Task<int?> RunWithDefaultAsync(string[] args)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            return null;
        }

        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable to start itself again.");
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Gen0Budget).Assembly.Location);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[Variable] = Default;
        using var child = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {host}.");
        // Ctrl-C reaches the child too (same process group): it cleans up, and this process waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
