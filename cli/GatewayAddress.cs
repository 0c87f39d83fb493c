namespace Tributary.Cli;

/// <summary>
/// Which gateway and key a command uses: <c>--url</c> / <c>--api-key</c>, else <c>TRIBUTARY_URL</c> /
/// <c>TRIBUTARY_API_KEY</c>, else what <c>./run.sh</c> started: <c>http://127.0.0.1:${TRIBUTARY_API_PORT:-5080}</c> and
/// its admin key (<c>TRIBUTARY_ADMIN_KEY</c>, or the one it keeps in <c>.data/admin-key</c> under the repository root).
/// </summary>
public static class GatewayAddress
{
    public const int RunShPort = 5080;

    public static (Uri Url, string Key) Resolve(string? url, string? apiKey, CliTerminal terminal)
    {
        var address = url ?? terminal.Variable("TRIBUTARY_URL") ?? $"http://127.0.0.1:{terminal.Variable("TRIBUTARY_API_PORT") ?? RunShPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"The gateway URL must be an http:// or https:// address; was '{address}' (from {(url is not null ? "--url" : "TRIBUTARY_URL or TRIBUTARY_API_PORT")}).");
        }

        var key = apiKey ?? terminal.Variable("TRIBUTARY_API_KEY") ?? terminal.Variable("TRIBUTARY_ADMIN_KEY") ?? RunShKey(terminal.Root);
        return (uri, key);
    }

    private static string RunShKey(string root)
    {
        var file = Path.Combine(root, ".data", "admin-key");
        var key = File.Exists(file) ? File.ReadAllText(file).Trim() : string.Empty;
        return key.Length > 0
            ? key
            : throw new CommandFailedException(
                $"No API key: pass --api-key or set TRIBUTARY_API_KEY (./run.sh keeps its admin key in {file}, which {(File.Exists(file) ? "is empty" : "does not exist")}).");
    }
}
