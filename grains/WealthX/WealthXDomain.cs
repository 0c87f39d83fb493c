using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Connectors.WealthX;
using Tributary.Jobs;
using Tributary.Scheduling;
using Tributary.Storage.Dossiers;

namespace Tributary.WealthX;

/// <summary>
/// Registers the WealthX dossier pull: the feed <c>default</c> from the <c>WealthX</c> section, and one more feed per
/// <c>WealthX:Feeds:{name}</c> section, each with its own credentials, cursor, rate limiter, schedule and store.
/// </summary>
public static class WealthXDomain
{
    /// <summary>The HttpClient name the feeds' clients are made from.</summary>
    public const string HttpClientName = "wealthx";

    /// <summary>
    /// The default feed runs when <c>WealthX:BaseUrl</c> is set (without it the pull could only fail). Bad settings stop
    /// the silo with sentences naming them; credentials are never quoted.
    /// </summary>
    /// <remarks>
    /// A <c>WealthX:Feeds:{name}</c> section inherits every setting of the <c>WealthX</c> section (base URL, page and
    /// session sizes, interval, schedule) except the credentials, which each feed must give itself.
    /// </remarks>
    public static ISiloBuilder AddWealthXDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        if (services.Any(d => d.ServiceType == typeof(WealthXFeeds)))
        {
            return silo;
        }

        var root = configuration.GetSection(WealthXOptions.Section);
        var sections = new List<(string Feed, string Path, IConfigurationSection? Own)>();
        if (!string.IsNullOrWhiteSpace(root[nameof(WealthXOptions.BaseUrl)]))
        {
            sections.Add((WealthXFeed.Default, WealthXOptions.Section, null));
        }

        foreach (var feedSection in root.GetSection("Feeds").GetChildren())
        {
            sections.Add((feedSection.Key, $"{WealthXOptions.Section}:Feeds:{feedSection.Key}", feedSection));
        }

        var problems = new List<string>();
        var feeds = new Dictionary<string, (WealthXFeedSettings Settings, WealthXOptions Client)>(StringComparer.Ordinal);
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (feed, path, own) in sections)
        {
            if (!WealthXFeed.IsValidName(feed) || (own is not null && feed == WealthXFeed.Default))
            {
                problems.Add($"{path}: a feed name is 1..40 of a-z, 0-9, '_' and '-', and not '{WealthXFeed.Default}' (that feed is the WealthX section itself); was '{feed}'.");
                continue;
            }

            var table = DossierStores.NamesOf(feed).Postgres;
            if (tables.TryGetValue(table, out var other))
            {
                problems.Add($"{path}: feeds '{other}' and '{feed}' would share the dossier table {table}; rename one.");
                continue;
            }

            tables[table] = feed;
            var (settings, client, feedProblems) = Read(configuration, root, own, path);
            problems.AddRange(feedProblems);
            feeds[feed] = (settings, client);
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(WealthXOptions.Section, typeof(WealthXOptions), problems);
        }

        if (feeds.Count == 0)
        {
            services.AddSingleton(new WealthXFeeds(new Dictionary<string, WealthXFeedSettings>()));
            return silo;
        }

        // Each feed's client, with the feed's credentials, for its sessions and its connection check.
        services.AddSingleton(sp => new WealthXFeeds(feeds.ToDictionary(
            f => f.Key,
            f =>
            {
                var options = Options.Create(f.Value.Client);
                return f.Value.Settings with
                {
                    Client = () => new WealthXClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), options, sp.GetRequiredService<TimeProvider>()),
                };
            },
            StringComparer.Ordinal)));

        // No resilience handler: the job runtime retries, honours Retry-After and spaces the calls (see WealthXClient).
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddDossierStore(configuration);
        foreach (var (feed, (settings, client)) in feeds)
        {
            var job = WealthXFeed.JobName(feed);
            services.AddSingleton<IJobDefinition>(sp => new WealthXPullJob(
                feed,
                sp.GetRequiredService<IGrainFactory>(),
                sp.GetRequiredService<WealthXFeeds>().Get(feed)!.Client!,
                sp.GetRequiredService<DossierStores>().For(feed)));
            services.AddRateLimitDefault(RateLimitDefault.OneCallAfter(
                RateLimitKey.For(WealthXClient.Upstream, feed), settings.Pull.MinCallInterval + settings.Pull.CallSpacingMargin));
            services.AddJobScheduleDefault(new JobScheduleDefault(job, new ScheduleChange(settings.Pull.Schedule, settings.Pull.TimeZone, MisfirePolicy.Once, null, true)));
        }

        return silo;
    }

    /// <summary>A feed's settings: the <c>WealthX</c> section, then (for a named feed) its own section over it, credentials its own.</summary>
    private static (WealthXFeedSettings Settings, WealthXOptions Client, List<string> Problems) Read(
        IConfiguration configuration, IConfigurationSection root, IConfigurationSection? own, string path)
    {
        var client = root.Get<WealthXOptions>() ?? new WealthXOptions();
        var pull = root.Get<WealthXPullOptions>() ?? new WealthXPullOptions();
        if (own is not null)
        {
            client.Username = client.Password = client.ApiKey = null;
            own.Bind(client);
            own.Bind(pull);
        }

        // The validators name the WealthX section; a named feed's settings live under its own path.
        string At(string message) => own is null ? message : message.Replace($"{WealthXOptions.Section}:", $"{path}:", StringComparison.Ordinal);
        var problems = new List<string>();
        var validation = new WealthXOptionsValidator().Validate(null, client);
        if (validation.Failed)
        {
            problems.AddRange(validation.Failures.Select(At));
        }

        problems.AddRange(pull.Validate().Select(At));
        var job = WealthXFeed.JobName(own?.Key ?? WealthXFeed.Default);
        if (configuration[$"Jobs:{job}:BatchSize"] is { } batchSize && batchSize != "1")
        {
            problems.Add($"Jobs:{job}:BatchSize must be 1 (a batch is one page; {path}:ApiBatchSize sets the records per page), was {batchSize}.");
        }

        if (configuration.GetValue<bool>($"Jobs:{job}:DynamicBatchSizing"))
        {
            problems.Add($"Jobs:{job}:DynamicBatchSizing must be false: a batch is one page.");
        }

        return (new WealthXFeedSettings(pull, client.ApiBatchSize), client, problems);
    }
}
