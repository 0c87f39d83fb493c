using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Storage.Jobs;

namespace Tributary.Jobs;

/// <summary>Registers the job runtime on a silo; domains then add their <see cref="IJobDefinition"/>s.</summary>
public static class JobsDomain
{
    public static ISiloBuilder AddJobRuntime(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddOptions<JobRuntimeOptions>().Bind(configuration.GetSection(JobRuntimeOptions.Section)).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobRuntimeOptions>, JobRuntimeOptionsValidator>());
        silo.Services.TryAddSingleton<JobCatalog>();
        silo.Services.TryAddSingleton<JobRunStore>();
        silo.Services.TryAddSingleton<UpstreamCircuits>();
        silo.Services.TryAddSingleton<RunExecutor>();
        silo.Services.TryAddSingleton<DatabaseOutage>();
        silo.Services.TryAddSingleton<CrashPoints>();
        silo.Services.TryAddSingleton<RunSupervisor>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RunSupervisor>());
        silo.AddIncomingGrainCallFilter<DatabaseErrorCallFilter>();

        // The runtime's own daily clean-up, a job like any other.
        silo.Services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section)).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>());
        silo.Services.TryAddSingleton<Storage.Retention.RetentionStore>();
        if (!silo.Services.Any(d => d.ImplementationType == typeof(RetentionJob)))
        {
            silo.Services.AddJob<RetentionJob>();
        }

        return silo;
    }

    /// <summary>
    /// Adds a job definition made by <paramref name="create"/>: for a domain with one job per configured item (a
    /// WealthX feed), whose definitions differ by a value the container cannot supply.
    /// </summary>
    public static IServiceCollection AddJob(this IServiceCollection services, Func<IServiceProvider, IJobDefinition> create)
    {
        services.AddSingleton(create);
        return services;
    }

    /// <summary>Adds a job definition (one line per job in its domain's registration).</summary>
    public static IServiceCollection AddJob<TDefinition>(this IServiceCollection services)
        where TDefinition : class, IJobDefinition
    {
        services.AddSingleton<IJobDefinition, TDefinition>();
        return services;
    }
}
