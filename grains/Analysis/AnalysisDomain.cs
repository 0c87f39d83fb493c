using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Connectors.AiPlatform;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Analysis;
using Tributary.Storage.Secrets;

namespace Tributary.Analysis;

/// <summary>Registers the analysis tasks: their store, provider, workers, the queue's dispatcher, the section job, its recovery and the daily retention.</summary>
public static class AnalysisDomain
{
    /// <summary>Always on: the built-in provider needs no upstream (<c>Tasks:Provider=platform</c> needs <c>AiPlatform:*</c>).</summary>
    public static ISiloBuilder AddAnalysisDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = silo.Services;
        services.AddAnalysisTaskStore();
        services.AddOptions<TaskOptions>().Bind(configuration.GetSection(TaskOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TaskOptions>, TaskOptionsValidator>());
        services.TryAddSingleton<TaskWorkers>();
        if (string.Equals(configuration[$"{TaskOptions.Section}:{nameof(TaskOptions.Provider)}"], TaskOptions.PlatformProvider, StringComparison.Ordinal))
        {
            // AiPlatform:* is checked at start like every connector's settings; tokens are kept with the one secret mechanism.
            services.AddAiPlatformClient(configuration);
            services.AddSecretProtection(configuration);
            services.TryAddSingleton<IAnalysisProvider, PlatformAnalysisProvider>();
        }
        else
        {
            services.TryAddSingleton<IAnalysisProvider, BuiltinAnalysisProvider>();
        }

        services.AddJob<AnalysisTaskJob>();
        services.AddJob<AnalysisRetentionJob>();
        services.AddJobScheduleDefault(new JobScheduleDefault(AnalysisKeys.RetentionJobName,
            new ScheduleChange(AnalysisRetentionJob.DefaultCron, "UTC", MisfirePolicy.Once, null, Enabled: true)));
        services.TryAddSingleton<AnalysisTaskDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalysisTaskDispatcher>());
        services.AddHostedService<AnalysisTaskRecovery>();
        return silo;
    }
}
