using Tributary.Testing;

namespace Tributary.WealthX.Tests.Pull;

/// <summary>
/// The pull tests' cluster: the production wiring with the WealthX feed <c>default</c> configured and a fake clock, so
/// the tests can call the feed's <see cref="IWealthXPullGrain"/> as the job runtime would.
/// </summary>
/// <remarks>
/// Nothing calls WealthX: the base URL points at the discard port and the feed's schedule is disabled, so the
/// grain's cursor moves only by the tests' own calls.
/// </remarks>
public static class WealthXPullWiring
{
    /// <summary>Where the fake clock starts: 1 May 2026, 22:00 UTC (two hours before a day boundary).</summary>
    public static readonly DateTimeOffset Start = new(2026, 5, 1, 22, 0, 0, TimeSpan.Zero);

    /// <summary>The feed <c>default</c> and a fake clock at <see cref="Start"/>; settings given after this (e.g. <c>WealthX:SessionSize</c>) override these.</summary>
    public static TributaryTestClusterOptions WithWealthXPull(this TributaryTestClusterOptions options) => options
        .WithFakeTime(Start)
        .WithSetting("WealthX:BaseUrl", "http://127.0.0.1:9/wealthx/rest/v1/")
        .WithSetting("WealthX:Username", "pull-test")
        .WithSetting("WealthX:Password", "pull-test-password")
        .WithSetting("Jobs:wealthx_default:Schedule:Cron", "0 0 1 1 *")
        .WithSetting("Jobs:wealthx_default:Schedule:Enabled", "false");

    /// <summary>The pull grain of the feed <c>default</c>.</summary>
    public static IWealthXPullGrain Pull(this TributaryTestCluster cluster) =>
        cluster.Grains.GetGrain<IWealthXPullGrain>(WealthXFeed.GrainKey(WealthXFeed.Default));
}
