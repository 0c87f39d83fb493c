using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tributary.Testing;

/// <summary>
/// A real silo process (<c>dotnet Tributary.Silo.dll</c>), for tests that kill silos: in-process test
/// clusters cannot be killed the way a machine dies.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, string name, int siloPort, int gatewayPort, int healthPort)
    {
        _process = process;
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HealthPort = healthPort;
    }

    public string Name { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }

    /// <summary>The silo's HTTP port: <c>/alive</c>, <c>/health</c>, <c>/metrics</c>.</summary>
    public int HealthPort { get; }
    public bool HasExited => _process.HasExited;
    public int ProcessId => _process.Id;
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process printed so far, for assertions and failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The silo build matching the test's own configuration (Debug or Release).</summary>
    public static string SiloAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            var path = RepoPaths.Combine("silo", "bin", configuration, "net10.0", "Tributary.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the silo first ({configuration}): {path} is missing.");
        }
    }

    /// <summary>Starts a silo with the given settings (as configuration keys, e.g. <c>Cluster:ClusterId</c>) on fresh ports.</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var healthPort = FreePorts.Next();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloAssembly)!,
        };
        info.ArgumentList.Add(SiloAssembly);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Silo__SiloPort"] = siloPort.ToString();
        info.Environment["Silo__GatewayPort"] = gatewayPort.ToString();
        info.Environment["Silo__HealthPort"] = healthPort.ToString();
        info.Environment["Silo__Name"] = name;
        info.Environment["DOTNET_ENVIRONMENT"] = "Test";
        // The test process' own DATABASE_URL (if any) must not leak in.
        info.Environment.Remove("DATABASE_URL");
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, name, siloPort, gatewayPort, healthPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { silo._output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { silo._output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Waits for the process to end by itself (e.g. <c>migrate</c>, or a configuration error) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Silo {Name} did not exit within {timeout.TotalSeconds:0} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no deactivation, no goodbye to the membership table, like a machine losing power.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        _process.Dispose();
    }
}
