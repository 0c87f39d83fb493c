using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using Tributary.Storage;
using Tributary.Analysis;
using Tributary.Diagnostics;
using Tributary.FinTrack;
using Tributary.Jobs;
using Tributary.FileRelay;
using Tributary.Scheduling;
using Tributary.Sync;
using Tributary.TrueLayer;
using Tributary.Vestr;
using Tributary.WealthX;

namespace Tributary.Silo;

/// <summary>
/// Everything that makes a silo a Tributary silo: the PostgreSQL providers, the dashboard, the domains.
/// The host in <see cref="SiloProgram"/> and the test clusters both call this, so tests run the real wiring.
/// </summary>
public static class TributarySilo
{
    /// <summary>The ADO.NET invariant for Npgsql; Orleans resolves the provider factory from it.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>Providers, cluster identity and domains. Endpoints are set by the caller (the host or TestingHost).</summary>
    public static ISiloBuilder AddTributary(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        // The host always has these (appsettings.json); a TestingHost cluster sets its own ids and leaves them out.
        var clusterId = configuration[$"{ClusterIdentity.Section}:ClusterId"];
        var serviceId = configuration[$"{ClusterIdentity.Section}:ServiceId"];
        if (clusterId is not null || serviceId is not null)
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId ?? ClusterIdentity.DefaultClusterId;
                options.ServiceId = serviceId ?? ClusterIdentity.DefaultServiceId;
            });
        }
        silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterIdentity.Section}:Membership"));

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
        });
        silo.AddAdoNetGrainStorage(StorageNames.GrainState, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
        });
        silo.TranslateDatabaseErrors(StorageNames.GrainState);
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = TributaryDataSource.ForOrleans(connectionString);
        });

        var hostOptions = configuration.GetSection(SiloHostOptions.Section).Get<SiloHostOptions>() ?? new SiloHostOptions();
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = hostOptions.MinimumReminderPeriod);

        // The dashboard's grain service must run on every silo or the gateway's dashboard breaks.
        silo.AddDashboard();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.TryAddSingleton(_ => TributaryDataSource.Create(connectionString));

        // One line per domain: each domain owns its registrations.
        silo.AddDiagnosticsDomain();
        silo.AddJobRuntime(configuration);
        silo.AddSchedulingDomain();
        silo.AddFinTrackDomain(configuration);
        silo.AddWealthXDomain(configuration);
        silo.AddTrueLayerDomain(configuration);
        silo.AddVestrDomain(configuration);
        silo.AddRelayDomain(configuration);
        silo.AddSyncDomain(configuration);
        silo.AddAnalysisDomain(configuration);
        return silo;
    }

    /// <summary>
    /// Silo and gateway ports and the advertised address, from <see cref="SiloHostOptions"/>; in a Kubernetes
    /// <paramref name="pod"/>, the pod's IP and name, on every interface, with Orleans' Kubernetes hosting on.
    /// </summary>
    public static ISiloBuilder UseTributaryEndpoints(this ISiloBuilder silo, SiloHostOptions options, KubernetesPod? pod = null)
    {
        var address = pod?.Address ?? options.ResolveAdvertisedAddress();
        silo.ConfigureEndpoints(address, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: pod is not null || options.ListenOnAnyHostAddress);
        // Kubernetes hosting requires the silo's name to be the pod's: it finds the silo's pod by that name.
        silo.Configure<SiloOptions>(o => o.SiloName = pod?.Name ?? options.Name ?? $"{Dns.GetHostName()}:{options.SiloPort}");
        if (pod is not null)
        {
            silo.UseKubernetesHosting();
        }

        return silo;
    }
}
