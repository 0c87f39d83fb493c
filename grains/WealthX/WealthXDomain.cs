using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// <remarks>
/// Each feed's settings are named options (the connector's <see cref="WealthXOptions"/> and the pull's
/// <see cref="WealthXPullOptions"/>, named <see cref="OptionsName"/> of the feed), bound and checked at start like
/// every other options class, and each feed has its named HttpClient.
/// </remarks>
public static class WealthXDomain
{
    /// <summary>
    /// The default feed runs when <c>WealthX:BaseUrl</c> is set (without it the pull could only fail). Bad settings stop
    /// the silo at start with sentences naming them (<see cref="WealthXPullOptionsValidator"/>,
    /// <see cref="WealthXOptionsValidator"/>); credentials are never quoted.
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

        var sections = WealthXFeedSections.Read(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WealthXPullOptions>, WealthXPullOptionsValidator>());
        var feeds = new List<string>();
        foreach (var section in sections)
        {
            // Bound and checked at start even when the feed's name is wrong: the check says so, naming the section.
            var name = OptionsName(section.Feed);
            var root = configuration.GetSection(WealthXOptions.Section);
            services.AddOptions<WealthXPullOptions>(name).Configure(pull =>
            {
                root.Bind(pull);
                section.Own?.Bind(pull);
            }).ValidateOnStart();
            if (section.Problem is not null)
            {
                continue;
            }

            feeds.Add(section.Feed);
            services.AddWealthXClient(name, client =>
            {
                root.Bind(client);
                if (section.Own is { } own)
                {
                    client.Username = client.Password = client.ApiKey = null;
                    own.Bind(client);
                }
            });
        }

        // Each feed's settings and client (with the feed's credentials), for its sessions and its connection check.
        services.AddSingleton(sp =>
        {
            var pulls = sp.GetRequiredService<IOptionsMonitor<WealthXPullOptions>>();
            var clients = sp.GetRequiredService<IOptionsMonitor<WealthXOptions>>();
            return new WealthXFeeds(feeds.ToDictionary(
                feed => feed,
                feed => new WealthXFeedSettings(
                    pulls.Get(OptionsName(feed)),
                    clients.Get(OptionsName(feed)).ApiBatchSize,
                    () => sp.GetRequiredService<WealthXClients>().For(OptionsName(feed))),
                StringComparer.Ordinal));
        });
        if (feeds.Count == 0)
        {
            return silo;
        }

        services.AddDossierStore(configuration);
        foreach (var feed in feeds)
        {
            // The feed's client is made when a page is fetched: making the job reads no options, so a bad setting is
            // reported by the check at start with every other, not by whichever component asks first.
            services.AddJob(sp => new WealthXPullJob(
                feed,
                sp.GetRequiredService<IGrainFactory>(),
                () => sp.GetRequiredService<WealthXFeeds>().Get(feed)!.Client!(),
                sp.GetRequiredService<DossierStores>().For(feed)));
            services.AddSingleton(sp =>
            {
                var pull = sp.GetRequiredService<IOptionsMonitor<WealthXPullOptions>>().Get(OptionsName(feed));
                return RateLimitDefault.OneCallAfter(RateLimitKey.For(WealthXClient.Upstream, feed), pull.MinCallInterval + pull.CallSpacingMargin);
            });
            services.AddSingleton(sp =>
            {
                var pull = sp.GetRequiredService<IOptionsMonitor<WealthXPullOptions>>().Get(OptionsName(feed));
                return new JobScheduleDefault(WealthXFeed.JobName(feed), new ScheduleChange(pull.Schedule, pull.TimeZone, MisfirePolicy.Once, null, true));
            });
        }

        return silo;
    }

    /// <summary>The options name of a feed: the default feed's are the unnamed options of the <c>WealthX</c> section.</summary>
    public static string OptionsName(string feed) => feed == WealthXFeed.Default ? Options.DefaultName : feed;
}

/// <summary>The feeds configuration asks for, in order, each with its section and what is wrong with its name.</summary>
internal static class WealthXFeedSections
{
    public sealed record Section(string Feed, string Path, IConfigurationSection? Own, string? Problem);

    public static IReadOnlyList<Section> Read(IConfiguration configuration)
    {
        var root = configuration.GetSection(WealthXOptions.Section);
        var found = new List<(string Feed, string Path, IConfigurationSection? Own)>();
        if (!string.IsNullOrWhiteSpace(root[nameof(WealthXOptions.BaseUrl)]))
        {
            found.Add((WealthXFeed.Default, WealthXOptions.Section, null));
        }

        foreach (var feedSection in root.GetSection("Feeds").GetChildren())
        {
            found.Add((feedSection.Key, WealthXOptions.SectionOf(feedSection.Key), feedSection));
        }

        var sections = new List<Section>();
        var tables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (feed, path, own) in found)
        {
            string? problem = null;
            if (!WealthXFeed.IsValidName(feed) || (own is not null && feed == WealthXFeed.Default))
            {
                problem = $"{path}: a feed name is 1..40 of a-z, 0-9, '_' and '-', and not '{WealthXFeed.Default}' (that feed is the WealthX section itself); was '{feed}'.";
            }
            else if (tables.TryGetValue(DossierStores.NamesOf(feed).Postgres, out var other))
            {
                problem = $"{path}: feeds '{other}' and '{feed}' would share the dossier table {DossierStores.NamesOf(feed).Postgres}; rename one.";
            }
            else
            {
                tables[DossierStores.NamesOf(feed).Postgres] = feed;
            }

            sections.Add(new Section(feed, path, own, problem));
        }

        return sections;
    }
}

/// <summary>
/// Checks each feed's pull settings at start: its name, its sizes, interval and schedule, and that its job keeps one
/// page per batch; each problem a sentence naming the setting under the feed's own section.
/// </summary>
public sealed class WealthXPullOptionsValidator(IConfiguration configuration) : IValidateOptions<WealthXPullOptions>
{
    public ValidateOptionsResult Validate(string? name, WealthXPullOptions options)
    {
        var feed = string.IsNullOrEmpty(name) ? WealthXFeed.Default : name;
        var path = WealthXOptions.SectionOf(name);
        var section = WealthXFeedSections.Read(configuration).FirstOrDefault(s => s.Feed == feed);
        if (section?.Problem is { } wrongName)
        {
            return ValidateOptionsResult.Fail(wrongName);
        }

        var problems = options.Validate(path).ToList();
        var job = WealthXFeed.JobName(feed);
        if (configuration[$"Jobs:{job}:BatchSize"] is { } batchSize && batchSize != "1")
        {
            problems.Add($"Jobs:{job}:BatchSize must be 1 (a batch is one page; {path}:ApiBatchSize sets the records per page), was {batchSize}.");
        }

        if (configuration[$"Jobs:{job}:DynamicBatchSizing"] is { } dynamic && (!bool.TryParse(dynamic, out var on) || on))
        {
            problems.Add($"Jobs:{job}:DynamicBatchSizing must be false: a batch is one page.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
