namespace Tributary.Cli.Tests;

/// <summary>Bad usage exits 2 with the reason and the command's usage on stderr; gateway refusals exit 1 with the API's words.</summary>
[Collection(CliCollection.Name)]
public sealed class UsageTests(CliCluster cluster)
{
    [Fact]
    public async Task An_unknown_flag_exits_2_with_the_commands_usage_and_calls_nothing()
    {
        var run = await cluster.RunAsync("etl", "runs", "--bogus");

        Assert.Equal(2, run.Exit);
        Assert.Equal(string.Empty, run.Out);
        Assert.StartsWith("Unrecognized command or argument '--bogus'.\n\nDescription:\n  Runs, newest first.\n\nUsage:\n  tributary etl runs [options]\n", run.Error, StringComparison.Ordinal);
        Assert.Contains("  --status <status>", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_argument_or_subcommand_exits_2_with_usage()
    {
        var missingJob = await cluster.RunAsync("schedules", "pause");
        Assert.Equal(2, missingJob.Exit);
        Assert.Equal(string.Empty, missingJob.Out);
        Assert.StartsWith("Required argument 'JOB' missing for command: 'pause'.\n\nDescription:\n", missingJob.Error, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  tributary schedules pause <JOB> [options]\n", missingJob.Error, StringComparison.Ordinal);

        var noCommand = await cluster.RunAsync("wealthx");
        Assert.Equal(2, noCommand.Exit);
        Assert.StartsWith("Required command was not provided.\n\nDescription:\n  The WealthX dossier pull.\n\nUsage:\n  tributary wealthx [command] [options]\n", noCommand.Error, StringComparison.Ordinal);

        var notANumber = await cluster.RunAsync("wealthx", "session", "--max-batches", "many");
        Assert.Equal(2, notANumber.Exit);
        Assert.StartsWith("Cannot parse argument 'many' for option '--max-batches'", notANumber.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_without_confirm_and_set_without_a_change_are_bad_usage()
    {
        var reset = await cluster.RunAsync("wealthx", "reset");
        Assert.Equal(2, reset.Exit);
        Assert.StartsWith(
            "wealthx reset starts the pull over from index 1 and forgets its counters (stored dossiers are kept): add --confirm to do it.\n\nDescription:\n",
            reset.Error, StringComparison.Ordinal);
        Assert.Contains("tributary wealthx reset [options]", reset.Error, StringComparison.Ordinal);

        var set = await cluster.RunAsync("schedules", "set", "wealthx_default");
        Assert.Equal(2, set.Exit);
        Assert.StartsWith("Nothing to change: give at least one of --cron, --time-zone, --misfire, --max-catch-up or --enabled.\n", set.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_refusal_exits_1_with_the_problems_title_detail_and_field_errors()
    {
        var unknown = await cluster.RunAsync("schedules", "show", "no_such_job");
        Assert.Equal((1, string.Empty), (unknown.Exit, unknown.Out));
        Assert.Equal("No such schedule (404): There is no job named 'no_such_job'. GET /api/schedules lists the scheduled jobs.\n", unknown.Error);

        var invalid = await cluster.RunAsync("etl", "runs", "--status", "done");
        Assert.Equal((1, string.Empty), (invalid.Exit, invalid.Out));
        Assert.Equal(
            "One or more validation errors occurred. (400)\n  status: One of queued, running, succeeded, partially_succeeded, failed, paused; was 'done'.\n",
            invalid.Error);

        var badKey = await cluster.RunAsync(["schedules", "list"], terminal: false, apiKey: "not-a-key-of-this-gateway");
        Assert.Equal((1, string.Empty), (badKey.Exit, badKey.Out));
        Assert.Equal("Unauthorized (401): The API key is not valid.\nThe key comes from --api-key, else TRIBUTARY_API_KEY, else ./run.sh's .data/admin-key.\n", badKey.Error);
        Assert.DoesNotContain("not-a-key-of-this-gateway", badKey.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_gateway_exits_1_saying_what_to_check()
    {
        var run = await cluster.RunAsync("--url", "http://127.0.0.1:9", "etl", "jobs");

        Assert.Equal((1, string.Empty), (run.Exit, run.Out));
        Assert.Equal(
            "Cannot reach the gateway at http://127.0.0.1:9/ (Connection refused (127.0.0.1:9)). Is ./run.sh running? Otherwise name the gateway with --url or TRIBUTARY_URL.\n",
            run.Error);
    }
}
