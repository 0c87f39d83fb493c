using System.Net;
using System.Net.Sockets;

namespace Tributary.Testing;

/// <summary>Loopback ports nobody listens on right now, for silos started by a test.</summary>
/// <remarks>
/// Taken from 20000-32699, below Linux's ephemeral range (32768-60999): a port the OS handed out for a listener on port
/// 0 comes from that range, where every outgoing connection (a database pool, an HTTP client) also takes its local
/// port, so a silo starting seconds later could find "its" port in use. Below the range only listeners compete, and a
/// bind proves the port free when it is handed out.
/// </remarks>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Count = 12_700;
    private static readonly HashSet<int> Handed = [];
    private static int _next = First + Random.Shared.Next(Count);

    /// <summary>A loopback port nothing listens on and this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Handed)
        {
            for (var tries = 0; tries < Count; tries++)
            {
                var port = First + ((_next++ - First) % Count);
                if (!Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException($"No free loopback port between {First} and {First + Count - 1}.");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port) { ExclusiveAddressUse = true };
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
