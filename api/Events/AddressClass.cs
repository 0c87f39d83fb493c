using System.Net;
using System.Net.Sockets;

namespace Tributary.Api.Events;

/// <summary>What kind of network an IP address belongs to, as far as sending it a webhook is concerned.</summary>
public enum AddressClass
{
    /// <summary>Routable on the internet: a webhook may go there.</summary>
    Public,

    /// <summary>127.0.0.0/8, ::1: this machine.</summary>
    Loopback,

    /// <summary>169.254.0.0/16 (cloud metadata at 169.254.169.254), fe80::/10.</summary>
    LinkLocal,

    /// <summary>10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 (unique local), fec0::/10 (site-local).</summary>
    Private,

    /// <summary>100.64.0.0/10: carrier-grade NAT, inside a provider's network.</summary>
    SharedAddressSpace,

    /// <summary>224.0.0.0/4, ff00::/8.</summary>
    Multicast,

    /// <summary>0.0.0.0/8, ::: "this host" (connecting to 0.0.0.0 reaches this machine on Linux).</summary>
    Unspecified,

    /// <summary>255.255.255.255.</summary>
    Broadcast,

    /// <summary>192.0.0.0/24, 198.18.0.0/15 (benchmarking, used inside networks), 240.0.0.0/4.</summary>
    Reserved,
}

/// <summary>Classifies IP addresses (IPv4, IPv6, and IPv4 inside IPv6: mapped, NAT64, 6to4) into <see cref="AddressClass"/>.</summary>
public static class AddressClassifier
{
    /// <summary>The class of <paramref name="address"/>; an IPv6 address that carries an IPv4 one is classed by that.</summary>
    public static AddressClass Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyIPv4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressClass.Reserved;
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressClass.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressClass.Loopback;
        }

        var bytes = address.GetAddressBytes();
        if (EmbeddedIPv4(bytes) is { } embedded)
        {
            return ClassifyIPv4(embedded);
        }

        return bytes[0] switch
        {
            0xff => AddressClass.Multicast,
            0xfe when (bytes[1] & 0xc0) == 0x80 => AddressClass.LinkLocal,
            0xfe when (bytes[1] & 0xc0) == 0xc0 => AddressClass.Private,
            0xfc or 0xfd => AddressClass.Private,
            _ => AddressClass.Public,
        };
    }

    /// <summary>How a refusal names the class: "a loopback address", "the unspecified address", …</summary>
    public static string Describe(AddressClass addressClass) => addressClass switch
    {
        AddressClass.Public => "a public address",
        AddressClass.Loopback => "a loopback address",
        AddressClass.LinkLocal => "a link-local address",
        AddressClass.Private => "a private address",
        AddressClass.SharedAddressSpace => "a shared (carrier-grade NAT) address",
        AddressClass.Multicast => "a multicast address",
        AddressClass.Unspecified => "the unspecified address",
        AddressClass.Broadcast => "the broadcast address",
        _ => "a reserved address",
    };

    private static AddressClass ClassifyIPv4(byte[] b) => b switch
    {
        [0, ..] => AddressClass.Unspecified,
        [10, ..] => AddressClass.Private,
        [100, >= 64 and <= 127, ..] => AddressClass.SharedAddressSpace,
        [127, ..] => AddressClass.Loopback,
        [169, 254, ..] => AddressClass.LinkLocal,
        [172, >= 16 and <= 31, ..] => AddressClass.Private,
        [192, 168, ..] => AddressClass.Private,
        [192, 0, 0, _] => AddressClass.Reserved,
        [198, 18 or 19, ..] => AddressClass.Reserved,
        [255, 255, 255, 255] => AddressClass.Broadcast,
        [>= 224 and <= 239, ..] => AddressClass.Multicast,
        [>= 240, ..] => AddressClass.Reserved,
        _ => AddressClass.Public,
    };

    /// <summary>The IPv4 address an IPv6 one stands for, if any: ::ffff:a.b.c.d, 64:ff9b::a.b.c.d (NAT64), 2002:ab:cd::/16 (6to4), ::a.b.c.d.</summary>
    private static byte[]? EmbeddedIPv4(byte[] b)
    {
        // ::ffff:a.b.c.d (mapped), and ::a.b.c.d (IPv4-compatible: deprecated, but some stacks still route it; :: and
        // ::1 themselves are classified before this).
        var zeroPrefix = b.AsSpan(0, 10).IndexOfAnyExcept((byte)0) < 0;
        if (zeroPrefix && ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        {
            return b[12..16];
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return b[12..16];
        }

        return b[0] == 0x20 && b[1] == 0x02 ? b[2..6] : null;
    }
}
