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
        return silo;
    }

    /// <summary>Adds a job definition (one line per job in its domain's registration).</summary>
    public static IServiceCollection AddJob<TDefinition>(this IServiceCollection services)
        where TDefinition : class, IJobDefinition
    {
        services.AddSingleton<IJobDefinition, TDefinition>();
        return services;
    }
}
