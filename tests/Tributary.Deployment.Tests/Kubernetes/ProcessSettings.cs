using System.Reflection;
using Orleans.Configuration;
using Tributary.Api.Auth;
using Tributary.Api.Errors;
using Tributary.Api.Events;
using Tributary.Silo;
using Tributary.Storage.Configuration;
using Tributary.Storage.FinTrack;
using Tributary.Storage.Secrets;

namespace Tributary.Deployment.Tests.Kubernetes;

/// <summary>
/// The settings one of Tributary's processes reads: the options classes it binds, each under its section, and the
/// few variables it reads by name. An environment variable a manifest gives a container must be one of these, so a
/// misspelt or retired setting in a manifest fails a test instead of being ignored in production.
/// </summary>
public sealed class ProcessSettings
{
    private readonly List<(string Section, Type Options)> _sections;
    private readonly HashSet<string> _variables;

    private ProcessSettings(string process, IEnumerable<(string, Type)> sections, IEnumerable<string> variables)
    {
        Process = process;
        _sections = [.. sections];
        _variables = [.. variables];
    }

    public string Process { get; }

    /// <summary>The silo process (<c>Tributary.Silo</c>: run, migrate, wait-for-schema), as <c>SiloProgram</c> and the domains bind it.</summary>
    public static ProcessSettings Silo { get; } = new("silo",
        [
            (SiloHostOptions.Section, typeof(SiloHostOptions)),
            (ClusterIdentity.Section, typeof(ClusterOptions)),
            ($"{ClusterIdentity.Section}:Membership", typeof(ClusterMembershipOptions)),
            (DatabaseOptions.Section, typeof(DatabaseOptions)),
            (SecretProtectionOptions.Section, typeof(SecretProtectionOptions)),
            (Jobs.JobRuntimeOptions.Section, typeof(Jobs.JobRuntimeOptions)),
            (Jobs.RetentionOptions.Section, typeof(Jobs.RetentionOptions)),
            (Scheduling.SchedulingOptions.Section, typeof(Scheduling.SchedulingOptions)),
            (WealthX.WealthXPullOptions.Section, typeof(WealthX.WealthXPullOptions)),
            (Connectors.WealthX.WealthXOptions.Section, typeof(Connectors.WealthX.WealthXOptions)),
            (Connectors.MarketData.MarketDataOptions.Section, typeof(Connectors.MarketData.MarketDataOptions)),
            (Connectors.TrueLayer.TrueLayerOptions.Section, typeof(Connectors.TrueLayer.TrueLayerOptions)),
            (TrueLayer.TrueLayerImportOptions.Section, typeof(TrueLayer.TrueLayerImportOptions)),
            (TrueLayer.EnrichmentOptions.Section, typeof(TrueLayer.EnrichmentOptions)),
            (Connectors.Vestr.VestrOptions.Section, typeof(Connectors.Vestr.VestrOptions)),
            (Connectors.Credinvest.CredinvestOptions.Section, typeof(Connectors.Credinvest.CredinvestOptions)),
            (Connectors.Dropbox.DropboxOptions.Section, typeof(Connectors.Dropbox.DropboxOptions)),
            (FileRelay.RelayOptions.Section, typeof(FileRelay.RelayOptions)),
            (Analysis.TaskOptions.Section, typeof(Analysis.TaskOptions)),
            (Connectors.AiPlatform.AiPlatformOptions.Section, typeof(Connectors.AiPlatform.AiPlatformOptions)),
        ],
        // The downward API's variables, which Orleans' Kubernetes hosting and KubernetesPod read.
        KubernetesPod.DownwardApi.Select(d => d.Variable));

    /// <summary>The gateway (<c>Tributary.Api</c>), as <c>GatewayApp.Build</c> binds it.</summary>
    public static ProcessSettings Gateway { get; } = new("gateway",
        [
            (ClusterIdentity.Section, typeof(ClusterOptions)),
            ($"{ClusterIdentity.Section}:Gateway", typeof(GatewayOptions)),
            (DatabaseOptions.Section, typeof(DatabaseOptions)),
            (SecretProtectionOptions.Section, typeof(SecretProtectionOptions)),
            (GatewayAuthOptions.Section, typeof(GatewayAuthOptions)),
            (WebhookOptions.Section, typeof(WebhookOptions)),
            (FailoverOptions.Section, typeof(FailoverOptions)),
            (RequestRateLimitOptions.Section, typeof(RequestRateLimitOptions)),
            (RequestBodyOptions.Section, typeof(RequestBodyOptions)),
            (ImportOptions.Section, typeof(ImportOptions)),
        ],
        // GatewayApp reads these by name: the admin key, and where to listen.
        [GatewayAuthOptions.AdminKeyVariable, "ASPNETCORE_URLS", "TRIBUTARY_API_PORT"]);

    /// <summary>The simulators: every options class of their assembly (each under <c>Simulators:</c>) and where to listen.</summary>
    public static ProcessSettings Simulators { get; } = new("simulators",
        typeof(Tributary.Simulators.SimulatorApp).Assembly.GetTypes()
            .Select(t => (Type: t, Field: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true })
            .Select(x => ((string)x.Field!.GetRawConstantValue()!, x.Type)),
        ["ASPNETCORE_URLS"]);

    /// <summary>The process a Dockerfile target runs.</summary>
    public static ProcessSettings ForTarget(string target) => target switch
    {
        "silo" => Silo,
        "gateway" => Gateway,
        "simulators" => Simulators,
        _ => throw new ArgumentException($"No Dockerfile target '{target}'.", nameof(target)),
    };

    /// <summary>Whether this process reads the environment variable <paramref name="name"/> (Section__Key is Section:Key).</summary>
    public bool Reads(string name)
    {
        if (_variables.Contains(name))
        {
            return true;
        }

        var key = name.Replace("__", ":", StringComparison.Ordinal);
        return _sections.Any(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase)
            && Resolves(s.Options, key[(s.Section.Length + 1)..].Split(':')));
    }

    /// <summary>Whether the configuration binder would set something of <paramref name="type"/> from this key path.</summary>
    private static bool Resolves(Type type, ReadOnlySpan<string> path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (path.Length == 0)
        {
            return IsScalar(type);
        }

        if (IsScalar(type))
        {
            return false;
        }

        if (type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
        {
            return Resolves(dictionary.GetGenericArguments()[1], path[1..]);
        }

        if (type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            return int.TryParse(path[0], out _) && Resolves(element, path[1..]);
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is not null && (property.CanWrite || !IsScalar(property.PropertyType)) && Resolves(property.PropertyType, path[1..]);
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly)
            || type == typeof(Guid) || type == typeof(Uri);
    }
}
