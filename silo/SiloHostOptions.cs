using System.Net;
using System.Net.Sockets;

namespace Tributary.Silo;

/// <summary>Where this silo listens and how it is named. Section <c>Silo</c>.</summary>
/// <remarks>Ports are configurable so several silos run on one machine (<c>./run.sh --silos 3</c>).</remarks>
public sealed class SiloHostOptions
{
    public const string Section = "Silo";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the gateway) connect to; 0 turns this silo's client gateway off.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The silo's own HTTP port for probes and metrics: <c>/alive</c>, <c>/health</c>, <c>/metrics</c> (Prometheus). 0 lets the
    /// system pick a free port (logged at start); containers and <c>run.sh</c> set one.
    /// </summary>
    public int HealthPort { get; set; }

    /// <summary>The address other silos and clients reach this silo at: an IP, or <c>auto</c> for this host's first non-loopback IPv4.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Bind on every interface while advertising <see cref="AdvertisedAddress"/> (containers need this).</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>Name shown in membership and the dashboard; defaults to host:port.</summary>
    public string? Name { get; set; }

    /// <summary>How long a SIGTERM may take: grains deactivate and write state within it.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The smallest reminder period allowed. Production keeps Orleans' one minute; tests lower it. Must be equal on every silo.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public IPAddress ResolveAdvertisedAddress()
    {
        if (!AdvertisedAddress.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Parse(AdvertisedAddress);
        }

        return Dns.GetHostAddresses(Dns.GetHostName())
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }

    /// <summary>Every problem with these settings, each a sentence naming the setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SiloPort is < 1 or > 65535)
        {
            problems.Add($"{Section}:{nameof(SiloPort)} must be 1..65535, was {SiloPort}.");
        }

        if (GatewayPort is < 0 or > 65535)
        {
            problems.Add($"{Section}:{nameof(GatewayPort)} must be 0..65535 (0 = no client gateway), was {GatewayPort}.");
        }

        if (GatewayPort == SiloPort)
        {
            problems.Add($"{Section}:{nameof(GatewayPort)} and {Section}:{nameof(SiloPort)} must differ, both are {SiloPort}.");
        }

        if (HealthPort is < 0 or > 65535 || (HealthPort != 0 && (HealthPort == SiloPort || HealthPort == GatewayPort)))
        {
            problems.Add($"{Section}:{nameof(HealthPort)} must be 0..65535 (0 = any free port) and differ from the silo and gateway ports, was {HealthPort}.");
        }

        if (!AdvertisedAddress.Equals("auto", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            problems.Add($"{Section}:{nameof(AdvertisedAddress)} must be an IP address or 'auto', was '{AdvertisedAddress}'.");
        }

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:{nameof(ShutdownTimeout)} must be positive, was {ShutdownTimeout}.");
        }

        if (MinimumReminderPeriod <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:{nameof(MinimumReminderPeriod)} must be positive, was {MinimumReminderPeriod}.");
        }

        return problems;
    }
}

/// <summary>Checks <see cref="SiloHostOptions"/>: every problem a sentence naming the setting.</summary>
public sealed class SiloHostOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SiloHostOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SiloHostOptions options) =>
        options.Validate() is { Count: > 0 } problems
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problems)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
