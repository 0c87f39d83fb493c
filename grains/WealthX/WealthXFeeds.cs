using Tributary.Connectors.WealthX;

namespace Tributary.WealthX;

/// <summary>The WealthX feeds this silo runs, by name, with their effective settings.</summary>
public sealed class WealthXFeeds(IReadOnlyDictionary<string, WealthXFeedSettings> feeds)
{
    public IEnumerable<string> Names => feeds.Keys;

    /// <summary>The feed's settings, or null when no feed of that name is configured.</summary>
    public WealthXFeedSettings? Get(string feed) => feeds.GetValueOrDefault(feed);
}

/// <summary>One feed's settings: the pull's options and the connector's page size.</summary>
/// <param name="Client">
/// Makes a client of the feed with its own credentials (which stay in this silo's memory); null in tests that
/// only plan pages.
/// </param>
public sealed record WealthXFeedSettings(WealthXPullOptions Pull, int ApiBatchSize, Func<WealthXClient>? Client = null);
