using System.Net.Sockets;
using Tributary.Api.Events;

namespace Tributary.Cluster.Tests.Webhooks;

/// <summary>
/// Where webhooks may go, checked by address: the classifier, the check at creation and the connect step of every
/// delivery. Resolution is faked where a name must resolve to a refused address, and the connect step only records
/// what it was asked for: nothing is sent anywhere.
/// </summary>
public sealed class WebhookTargetTests
{
    private const string Rule = ": webhooks go to public addresses only, unless the gateway's Webhooks:AllowPrivateTargets is true.";

    /// <summary>One address of every refused class, and the words a refusal uses for it.</summary>
    public static TheoryData<string, AddressClass, string> Refused => new()
    {
        { "127.0.0.1", AddressClass.Loopback, "a loopback address" },
        { "127.255.0.9", AddressClass.Loopback, "a loopback address" },
        { "::1", AddressClass.Loopback, "a loopback address" },
        { "169.254.169.254", AddressClass.LinkLocal, "a link-local address" },
        { "fe80::1", AddressClass.LinkLocal, "a link-local address" },
        { "10.0.0.1", AddressClass.Private, "a private address" },
        { "172.16.0.1", AddressClass.Private, "a private address" },
        { "172.31.255.254", AddressClass.Private, "a private address" },
        { "192.168.1.1", AddressClass.Private, "a private address" },
        { "fd00::1", AddressClass.Private, "a private address" },
        { "fc00::1", AddressClass.Private, "a private address" },
        { "fec0::1", AddressClass.Private, "a private address" },
        { "100.64.0.1", AddressClass.SharedAddressSpace, "a shared (carrier-grade NAT) address" },
        { "224.0.0.1", AddressClass.Multicast, "a multicast address" },
        { "239.255.255.250", AddressClass.Multicast, "a multicast address" },
        { "ff02::1", AddressClass.Multicast, "a multicast address" },
        { "0.0.0.0", AddressClass.Unspecified, "the unspecified address" },
        { "::", AddressClass.Unspecified, "the unspecified address" },
        { "255.255.255.255", AddressClass.Broadcast, "the broadcast address" },
        { "240.0.0.1", AddressClass.Reserved, "a reserved address" },
        { "198.18.0.1", AddressClass.Reserved, "a reserved address" },
        // IPv4 inside IPv6 is classed by the IPv4 address it stands for.
        { "::ffff:127.0.0.1", AddressClass.Loopback, "a loopback address" },
        { "::ffff:169.254.169.254", AddressClass.LinkLocal, "a link-local address" },
        { "::ffff:10.0.0.1", AddressClass.Private, "a private address" },
        { "64:ff9b::a9fe:a9fe", AddressClass.LinkLocal, "a link-local address" },
        { "2002:c0a8:0101::1", AddressClass.Private, "a private address" },
        { "::7f00:1", AddressClass.Loopback, "a loopback address" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Each_refused_class_is_classified_by_address(string address, AddressClass expected, string words)
    {
        Assert.Equal(expected, AddressClassifier.Classify(IPAddress.Parse(address)));
        Assert.Equal(words, AddressClassifier.Describe(expected));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_public(string address) =>
        Assert.Equal(AddressClass.Public, AddressClassifier.Classify(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Each_refused_class_is_refused_at_creation_as_a_literal_address_without_resolving(string address, AddressClass _, string words)
    {
        var guard = new WebhookTargetGuard(allowPrivateTargets: false, NoResolution, NoConnection);
        var host = IPAddress.Parse(address).AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address;

        var refusal = await guard.RefusalAsync(new Uri($"http://{host}:8080/hook"), CancellationToken.None);

        Assert.Equal($"{IPAddress.Parse(address)} is {words}{Rule}", refusal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Each_refused_class_is_refused_at_creation_when_a_name_resolves_to_it(string address, AddressClass _, string words)
    {
        var guard = new WebhookTargetGuard(false, Resolving("hooks.example.test", IPAddress.Parse("93.184.216.34"), IPAddress.Parse(address)), NoConnection);

        var refusal = await guard.RefusalAsync(new Uri("https://hooks.example.test/hook"), CancellationToken.None);

        Assert.Equal($"hooks.example.test resolves to {IPAddress.Parse(address)}, {words}{Rule}", refusal);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Each_refused_class_is_refused_at_delivery_without_connecting(string address, AddressClass _, string words)
    {
        // DNS rebinding: the name resolved to a public address when the webhook was made; now it resolves to this.
        var connects = new List<IPEndPoint>();
        var guard = new WebhookTargetGuard(false, Resolving("hooks.example.test", IPAddress.Parse(address)), Recording(connects));

        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(
            async () => await guard.ConnectAsync(new DnsEndPoint("hooks.example.test", 443), CancellationToken.None));

        Assert.Equal($"Not sent: hooks.example.test resolves to {IPAddress.Parse(address)}, {words}{Rule}", refused.Message);
        Assert.Empty(connects);
    }

    [Fact]
    public async Task A_literal_refused_address_is_refused_at_delivery_without_resolving_or_connecting()
    {
        var connects = new List<IPEndPoint>();
        var guard = new WebhookTargetGuard(false, NoResolution, Recording(connects));

        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(
            async () => await guard.ConnectAsync(new DnsEndPoint("169.254.169.254", 80), CancellationToken.None));

        Assert.Equal($"Not sent: 169.254.169.254 is a link-local address{Rule}", refused.Message);
        Assert.Empty(connects);
    }

    [Fact]
    public async Task At_delivery_only_the_permitted_addresses_of_a_name_are_connected_to()
    {
        var connects = new List<IPEndPoint>();
        var guard = new WebhookTargetGuard(false,
            Resolving("mixed.example.test", IPAddress.Parse("10.1.2.3"), IPAddress.Parse("93.184.216.34"), IPAddress.Parse("169.254.169.254")), Recording(connects));

        await using var stream = await guard.ConnectAsync(new DnsEndPoint("mixed.example.test", 443), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443)], connects);
    }

    [Fact]
    public async Task With_private_targets_allowed_a_private_address_is_accepted_and_connected_to()
    {
        var connects = new List<IPEndPoint>();
        var guard = new WebhookTargetGuard(allowPrivateTargets: true, Resolving("intranet.test", IPAddress.Parse("10.0.0.7")), Recording(connects));

        Assert.Null(await guard.RefusalAsync(new Uri("http://10.0.0.7/hook"), CancellationToken.None));
        Assert.Null(await guard.RefusalAsync(new Uri("http://intranet.test/hook"), CancellationToken.None));
        await using var stream = await guard.ConnectAsync(new DnsEndPoint("intranet.test", 80), CancellationToken.None);

        Assert.Equal([new IPEndPoint(IPAddress.Parse("10.0.0.7"), 80)], connects);
    }

    [Fact]
    public async Task Localhost_is_refused_at_creation_and_at_delivery_through_the_real_resolver()
    {
        // The system resolver (the gateway's own): localhost is 127.0.0.1 and/or ::1, both loopback.
        var connects = new List<IPEndPoint>();
        var guard = new WebhookTargetGuard(false, Dns.GetHostAddressesAsync, Recording(connects));
        var resolved = await Dns.GetHostAddressesAsync("localhost");

        var refusal = await guard.RefusalAsync(new Uri("http://localhost:9/hook"), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(
            async () => await guard.ConnectAsync(new DnsEndPoint("localhost", 9), CancellationToken.None));

        Assert.Equal($"localhost resolves to {resolved[0]}, a loopback address{Rule}", refusal);
        Assert.Equal($"Not sent: localhost resolves to {resolved[0]}, a loopback address{Rule}", refused.Message);
        Assert.Empty(connects);
    }

    [Theory]
    [InlineData("ftp://example.test/hook")]
    [InlineData("file:///etc/passwd")]
    public async Task Only_http_and_https_are_accepted(string url)
    {
        var guard = new WebhookTargetGuard(allowPrivateTargets: true, NoResolution, NoConnection);

        Assert.Equal("An absolute http or https URL.", await guard.RefusalAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused_at_creation()
    {
        var guard = new WebhookTargetGuard(false, (_, _) => throw new SocketException((int)SocketError.HostNotFound), NoConnection);

        var refusal = await guard.RefusalAsync(new Uri("https://nowhere.example.test/hook"), CancellationToken.None);

        Assert.Equal("The host nowhere.example.test could not be resolved; a webhook needs a host name that resolves, or an IP address.", refusal);
    }

    private static Task<IPAddress[]> NoResolution(string host, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{host} was resolved; a literal address must not be.");

    private static ValueTask<Stream> NoConnection(IPEndPoint endpoint, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{endpoint} was connected to.");

    private static WebhookTargetGuard.Resolver Resolving(string name, params IPAddress[] addresses) =>
        (host, _) => host == name ? Task.FromResult(addresses) : throw new InvalidOperationException($"Only {name} resolves here, not {host}.");

    /// <summary>Records the endpoint and returns an empty stream: no socket is opened.</summary>
    private static WebhookTargetGuard.Connector Recording(List<IPEndPoint> connects) => (endpoint, _) =>
    {
        connects.Add(endpoint);
        return ValueTask.FromResult<Stream>(new MemoryStream());
    };
}
