using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tributary.Analysis;
using Tributary.Storage.Analysis;

namespace Tributary.Jobs.Tests;

/// <summary>
/// A silo's analysis workers, with an upstream provider, start no closer than <c>Tasks:UpstreamStartSpacing</c>: workers
/// freed together are handed out one spacing apart, on the silo's clock; without an upstream they are not spaced.
/// </summary>
public sealed class AnalysisWorkerSpacingTests
{
    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Workers_taken_together_start_one_spacing_apart_with_an_upstream()
    {
        var clock = new FakeTimeProvider();
        using var workers = Workers(new UpstreamProvider(), clock);
        Assert.Equal(Spacing, workers.Spacing);

        var starts = Enumerable.Range(0, 3).Select(_ => workers.AcquireAsync(Guid.NewGuid(), CancellationToken.None)).ToList();

        Assert.Equal([true, false, false], starts.Select(s => s.IsCompletedSuccessfully));
        clock.Advance(Spacing - TimeSpan.FromMilliseconds(1));
        Assert.Equal([true, false, false], starts.Select(s => s.IsCompletedSuccessfully));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await starts[1].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(starts[2].IsCompleted, "the third start came before two spacings had passed");
        clock.Advance(Spacing);
        await starts[2].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, workers.Busy);

        // A start long after the last one is not held back.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(workers.AcquireAsync(Guid.NewGuid(), CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_start_cancelled_while_it_waits_for_its_turn_gives_its_worker_back()
    {
        var clock = new FakeTimeProvider();
        using var workers = Workers(new UpstreamProvider(), clock);
        using var first = await workers.AcquireAsync(Guid.NewGuid(), CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var second = workers.AcquireAsync(Guid.NewGuid(), cancel.Token);
        Assert.Equal(2, workers.Busy);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.Equal(1, workers.Busy);
    }

    [Fact]
    public void Without_an_upstream_workers_are_never_spaced()
    {
        var clock = new FakeTimeProvider();
        using var workers = Workers(new BuiltinAnalysisProvider(), clock);

        var starts = Enumerable.Range(0, 5).Select(_ => workers.AcquireAsync(Guid.NewGuid(), CancellationToken.None)).ToList();

        Assert.Equal(TimeSpan.Zero, workers.Spacing);
        Assert.All(starts, s => Assert.True(s.IsCompletedSuccessfully));
        Assert.Equal(5, workers.Busy);
    }

    [Fact]
    public void A_spacing_outside_its_range_is_refused_at_start_naming_the_setting()
    {
        var result = new TaskOptionsValidator().Validate(null, new TaskOptions { UpstreamStartSpacing = TimeSpan.FromSeconds(2) });

        Assert.Equal(["Tasks:UpstreamStartSpacing must be 00:00:00..00:00:01, was 00:00:02."], result.Failures);
    }

    private static TaskWorkers Workers(IAnalysisProvider provider, TimeProvider clock) =>
        new(Options.Create(new TaskOptions { WorkersPerSilo = 10, UpstreamStartSpacing = Spacing }), provider, clock);

    /// <summary>A provider with an upstream; the workers only ask whether it has one.</summary>
    private sealed class UpstreamProvider : IAnalysisProvider
    {
        public string Name => "platform";

        public string? Upstream => "ai-platform";

        public Task<string?> LoginAsync(string? username, string? password, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The workers never log in.");

        public Task<JsonObject> AnalyzeAsync(AnalysisTaskRecord task, DetectedSection section, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The workers never analyse.");
    }
}
