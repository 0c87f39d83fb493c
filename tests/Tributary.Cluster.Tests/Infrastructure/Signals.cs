using System.Diagnostics;

namespace Tributary.Cluster.Tests.Infrastructure;

/// <summary>POSIX signals .NET's Process API does not send (it only kills).</summary>
internal static class Signals
{
    /// <summary>Sends SIGTERM, as a container runtime or systemd does on stop.</summary>
    public static void Terminate(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {pid} failed with exit code {kill.ExitCode}.");
        }
    }
}
