using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Tributary.Api.Events;

/// <summary>
/// Keeps webhooks to public addresses (unless <c>Webhooks:AllowPrivateTargets</c>): checks a URL when a webhook is
/// created, and, as the delivery client's connect step, the very address each delivery connects to.
/// </summary>
/// <remarks>
/// <para>
/// The check at creation tells the caller at once; it cannot be the protection, because a name's addresses change
/// (DNS rebinding: a name that resolved to a public address at creation resolves to 169.254.169.254 at delivery).
/// So every delivery resolves the host itself, keeps only permitted addresses, and connects to one of those: the
/// address checked is the address connected to. The delivery client follows no redirects and uses no proxy (with a
/// proxy the connection would go to the proxy, and the proxy to anywhere).
/// </para>
/// <para>
/// Resolution and connection are passed in, so the rules can be tested on any address without connecting anywhere.
/// </para>
/// </remarks>
public sealed class WebhookTargetGuard
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private readonly bool _allowPrivateTargets;
    private readonly Resolver _resolve;
    private readonly Connector _connect;

    /// <summary>Resolves a host name to its addresses.</summary>
    public delegate Task<IPAddress[]> Resolver(string host, CancellationToken cancellationToken);

    /// <summary>Opens a TCP connection to an address.</summary>
    public delegate ValueTask<Stream> Connector(IPEndPoint endpoint, CancellationToken cancellationToken);

    /// <summary>The gateway's guard: DNS and TCP sockets, <c>Webhooks:AllowPrivateTargets</c> from configuration.</summary>
    public WebhookTargetGuard(IOptions<WebhookOptions> options)
        : this(options?.Value.AllowPrivateTargets ?? throw new ArgumentNullException(nameof(options)), Dns.GetHostAddressesAsync, ConnectTcpAsync)
    {
    }

    public WebhookTargetGuard(bool allowPrivateTargets, Resolver resolve, Connector connect)
    {
        _allowPrivateTargets = allowPrivateTargets;
        _resolve = resolve;
        _connect = connect;
    }

    /// <summary>
    /// Why a webhook may not be created with <paramref name="url"/> (a sentence for the <c>url</c> field), or null when
    /// it may. Literal addresses are checked as they are; names are resolved and refused when any address is.
    /// </summary>
    public async Task<string?> RefusalAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return "An absolute http or https URL.";
        }

        if (_allowPrivateTargets)
        {
            return null;
        }

        var host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return RefusedClass(literal) is { } literalClass ? Refusal(literal.ToString(), literal, isLiteral: true, literalClass) : null;
        }

        IPAddress[] addresses;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await _resolve(host, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return $"The host {host} could not be resolved; a webhook needs a host name that resolves, or an IP address.";
            }
        }

        if (addresses.Length == 0)
        {
            return $"The host {host} has no addresses; a webhook needs a host name that resolves, or an IP address.";
        }

        foreach (var address in addresses)
        {
            if (RefusedClass(address) is { } refused)
            {
                return Refusal(host, address, isLiteral: false, refused);
            }
        }

        return null;
    }

    /// <summary>The delivery client's <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ConnectAsync(context.DnsEndPoint, cancellationToken);
    }

    /// <summary>
    /// Resolves <paramref name="endpoint"/>'s host and connects to its first permitted address that answers.
    /// </summary>
    /// <exception cref="WebhookTargetRefusedException">No address of the host is permitted; nothing was connected to.</exception>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolve(host, cancellationToken);
        var permitted = addresses.Where(a => RefusedClass(a) is null).ToArray();
        if (permitted.Length == 0)
        {
            throw new WebhookTargetRefusedException(addresses.Length == 0
                ? $"Not sent: {host} has no addresses."
                : "Not sent: " + Refusal(literal?.ToString() ?? host, addresses[0], isLiteral: literal is not null, RefusedClass(addresses[0])!.Value));
        }

        Exception? last = null;
        foreach (var address in permitted)
        {
            try
            {
                return await _connect(new IPEndPoint(address, endpoint.Port), cancellationToken);
            }
            catch (SocketException exception)
            {
                last = exception;
            }
        }

        throw last!;
    }

    /// <summary>The class that keeps webhooks away from <paramref name="address"/>, or null when they may go there.</summary>
    private AddressClass? RefusedClass(IPAddress address) =>
        _allowPrivateTargets || AddressClassifier.Classify(address) == AddressClass.Public ? null : AddressClassifier.Classify(address);

    private static string Refusal(string host, IPAddress address, bool isLiteral, AddressClass refused) =>
        (isLiteral ? $"{host} is " : $"{host} resolves to {address}, ") + AddressClassifier.Describe(refused) +
        $": webhooks go to public addresses only, unless the gateway's {WebhookOptions.Section}:{nameof(WebhookOptions.AllowPrivateTargets)} is true.";

    private static async ValueTask<Stream> ConnectTcpAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
