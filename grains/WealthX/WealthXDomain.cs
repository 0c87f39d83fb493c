using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Connectors.WealthX;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Dossiers;

namespace Tributary.WealthX;

/// <summary>Registers the WealthX dossier pull: the feed <c>default</c> from the <c>WealthX</c> section.</summary>
public static class WealthXDomain
{
    /// <summary>
    /// The feed runs when <c>WealthX:BaseUrl</c> is set (without it the pull could only fail): its client, the dossier
    /// store, the job whose runs are its sessions, the feed's rate limit (one call per <c>MinCallInterval</c>) and its
    /// schedule. Bad settings stop the silo with sentences naming them.
    /// </summary>
    public static ISiloBuilder AddWealthXDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        if (services.Any(d => d.ServiceType == typeof(WealthXFeeds)))
        {
            return silo;
        }

        if (string.IsNullOrWhiteSpace(configuration[$"{WealthXOptions.Section}:{nameof(WealthXOptions.BaseUrl)}"]))
        {
            services.AddSingleton(new WealthXFeeds(new Dictionary<string, WealthXFeedSettings>()));
            return silo;
        }

        const string feed = WealthXFeed.Default;
        var job = WealthXFeed.JobName(feed);
        var section = configuration.GetSection(WealthXPullOptions.Section);
        var pull = section.Get<WealthXPullOptions>() ?? new WealthXPullOptions();
        var client = section.Get<WealthXOptions>() ?? new WealthXOptions();
        var problems = new List<string>(pull.Validate());
        if (configuration[$"Jobs:{job}:BatchSize"] is { } batchSize && batchSize != "1")
        {
            problems.Add($"Jobs:{job}:BatchSize must be 1 (a batch is one page; {WealthXOptions.Section}:ApiBatchSize sets the records per page), was {batchSize}.");
        }

        if (configuration.GetValue<bool>($"Jobs:{job}:DynamicBatchSizing"))
        {
            problems.Add($"Jobs:{job}:DynamicBatchSizing must be false: a batch is one page.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Configuration error: " + string.Join(" ", problems));
        }

        services.AddWealthXClient(configuration);
        services.AddDossierStore(configuration);
        services.AddSingleton(new WealthXFeeds(new Dictionary<string, WealthXFeedSettings>
        {
            [feed] = new(pull, client.ApiBatchSize),
        }));
        services.AddSingleton<IJobDefinition>(sp => new WealthXPullJob(
            feed, sp.GetRequiredService<IGrainFactory>(), () => sp.GetRequiredService<WealthXClient>(), sp.GetRequiredService<IDossierStore>()));
        services.AddRateLimitDefault(RateLimitDefault.OneCallPer(RateLimitKey.For(WealthXClient.Upstream, feed), pull.MinCallInterval + pull.CallSpacingMargin));
        services.AddJobScheduleDefault(new JobScheduleDefault(job, new ScheduleChange(pull.Schedule, pull.TimeZone, MisfirePolicies.Once, null, true)));
        return silo;
    }
}
