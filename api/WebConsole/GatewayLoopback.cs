using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Tributary.Api.WebConsole;

/// <summary>The gateway's own address on loopback, where the console's pages call the API.</summary>
public sealed class GatewayLoopback(IServer server)
{
    private Uri? _address;

    public Uri Address => _address ??= Resolve();

    private Uri Resolve()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The gateway listens on no address the console could call.");
        var bound = addresses.Select(BindingAddress.Parse).OrderBy(a => a.Scheme == "http" ? 0 : 1).FirstOrDefault()
            ?? throw new InvalidOperationException("The gateway listens on no address the console could call.");
        var host = bound.Host switch
        {
            "+" or "*" or "0.0.0.0" or "localhost" => "127.0.0.1",
            "[::]" => "[::1]",
            var other => other,
        };
        return new Uri($"{bound.Scheme}://{host}:{bound.Port}/");
    }
}
