using System.Diagnostics;

namespace Tributary.Cli.Tests;

/// <summary>Every command against the running gateway: its JSON is exactly the gateway's answer, and work it follows ends.</summary>
[Collection(CliCollection.Name)]
public sealed class CommandTests(CliCluster cluster)
{
    private const string SeedPortfolio =
        """
        [
          {"Market Value": 1250000.50, "Top Asset": "Nestle", "Currency": "CHF"},
          {"top_movers_data": [{"name": "Roche", "change_pct": 3.2}, {"name": "UBS", "change_pct": -2.5}]},
          {"assets": [{"name": "Nestle", "mv": 500000}, {"name": "Cash", "mv": 750000.50}], "total_portfolio_mv": 1250000.50},
          {"performance": [{"period": "1M", "return_pct": 1.5}, {"period": "1Y", "return_pct": 7.25}]}
        ]
        """;

    [Fact]
    public async Task Wealthx_status_projection_session_cleanup_and_reset()
    {
        // last_updated is the time of the answer; everything else is the same.
        JsonAssert.Same(WithoutAnswerTime(await cluster.GetAsync("/api/wealthx/default/status")), WithoutAnswerTime((await cluster.RunAsync("wealthx", "status")).Json()));
        JsonAssert.Same(await cluster.GetAsync("/api/wealthx/default/projection"), (await cluster.RunAsync("wealthx", "projection", "--json")).Json());

        var session = (await cluster.RunAsync("wealthx", "session", "--max-batches", "2")).Json();
        var runId = JsonAssert.Text(session, "runId");
        Assert.Equal(("wealthx_default", "succeeded", 2, 1000), (JsonAssert.Text(session, "job"), JsonAssert.Text(session, "status"),
            session!["totalBatches"]!.GetValue<int>(), session["itemsProcessed"]!.GetValue<int>()));
        JsonAssert.Same(await cluster.GetAsync($"/api/etl/runs/{runId}"), session);

        var cleanup = (await cluster.RunAsync("wealthx", "cleanup")).Json();
        Assert.Equal((0L, 0L), (cleanup!["duplicate_ids"]!.GetValue<long>(), cleanup["removed_copies"]!.GetValue<long>()));

        var afterSession = (await cluster.RunAsync("wealthx", "status")).Json();
        Assert.Equal((1001, 1000L), (afterSession!["current_index"]!.GetValue<int>(), afterSession["records_processed"]!.GetValue<long>()));
        var reset = (await cluster.RunAsync("wealthx", "reset", "--confirm")).Json();
        JsonAssert.Same(WithoutAnswerTime(await cluster.GetAsync("/api/wealthx/default/status")), WithoutAnswerTime(reset!.DeepClone()));
        Assert.Equal((1, 0, 0L, 1000L), (reset!["current_index"]!.GetValue<int>(), reset["last_processed_index"]!.GetValue<int>(),
            reset["records_processed"]!.GetValue<long>(), reset["records_in_store"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Schedules_list_show_set_pause_resume_and_trigger()
    {
        JsonAssert.Same(await cluster.GetAsync("/api/schedules"), (await cluster.RunAsync("schedules", "list")).Json());
        JsonAssert.Same(await cluster.GetAsync("/api/schedules/integrated_sync"), (await cluster.RunAsync("schedules", "show", "integrated_sync")).Json());
        var next = (await cluster.RunAsync("schedules", "show", "integrated_sync", "--next", "3")).Json();
        Assert.Equal(3, next!["occurrences"]!.AsArray().Count);

        var set = (await cluster.RunAsync("schedules", "set", "wealthx_default", "--cron", "0 0 1 1 *", "--time-zone", "Europe/Zurich", "--enabled", "true")).Json();
        Assert.Equal(("0 0 1 1 *", "Europe/Zurich", true), (JsonAssert.Text(set, "cron"), JsonAssert.Text(set, "timeZone"), set!["enabled"]!.GetValue<bool>()));
        var paused = (await cluster.RunAsync("schedules", "pause", "wealthx_default")).Json();
        Assert.False(paused!["enabled"]!.GetValue<bool>());
        JsonAssert.Same(await cluster.GetAsync("/api/schedules/wealthx_default"), paused);
        var resumed = (await cluster.RunAsync("schedules", "resume", "wealthx_default")).Json();
        Assert.True(resumed!["enabled"]!.GetValue<bool>());
        Assert.False((await cluster.RunAsync("schedules", "pause", "wealthx_default")).Json()!["enabled"]!.GetValue<bool>());

        var triggered = (await cluster.RunAsync("schedules", "trigger", "vestr_fees", "--wait")).Json();
        Assert.Equal(("vestr_fees", "succeeded", "manual"), (JsonAssert.Text(triggered, "job"), JsonAssert.Text(triggered, "status"), JsonAssert.Text(triggered, "trigger")));
    }

    [Fact]
    public async Task Etl_jobs_run_runs_and_dead_letters()
    {
        JsonAssert.Same(await cluster.GetAsync("/api/etl/jobs"), (await cluster.RunAsync("etl", "jobs")).Json());

        var ticket = (await cluster.RunAsync("etl", "run", "vestr_fees")).Json();
        Assert.True(ticket!["started"]!.GetValue<bool>());
        var runId = JsonAssert.Text(ticket, "runId");
        Assert.Equal($"/api/etl/runs/{runId}", JsonAssert.Text(ticket, "links"));
        var joined = (await cluster.RunAsync("etl", "run", "vestr_fees", "--wait")).Json();
        Assert.Equal((runId, "succeeded"), (JsonAssert.Text(joined, "runId"), JsonAssert.Text(joined, "status")));

        var runs = (await cluster.RunAsync("etl", "runs", "--job", "vestr_fees", "--limit", "1")).Json();
        JsonAssert.Same(await cluster.GetAsync("/api/etl/runs?job=vestr_fees&limit=1"), runs);
        Assert.Equal(runId, JsonAssert.Text(runs!.AsArray().Single(), "runId"));

        Assert.Equal("[]\n", (await cluster.RunAsync("etl", "dead-letters")).Out);
        Assert.Equal("[]\n", (await cluster.RunAsync("etl", "dead-letters", "--job", "vestr_fees", "replay")).Out);
        var noLetter = await cluster.RunAsync("etl", "dead-letters", "replay", "424242");
        Assert.Equal((1, "Unknown dead letter (404): There is no dead letter 424242.\n"), (noLetter.Exit, noLetter.Error));
    }

    [Fact]
    public async Task Vestr_sync_and_the_integrated_sync_with_the_seeds_flags()
    {
        var started = (await cluster.RunAsync("vestr", "sync", "--full", "--no-wait")).Json();
        Assert.True(started!["started"]!.GetValue<bool>());
        var full = (await cluster.RunAsync("vestr", "sync")).Json();
        Assert.Equal((JsonAssert.Text(started, "run_id"), "vestr_fees", "succeeded"), (JsonAssert.Text(full, "runId"), JsonAssert.Text(full, "job"), JsonAssert.Text(full, "status")));

        var log = Path.Combine(Path.GetTempPath(), $"tributary-cli-sync-{Guid.NewGuid():N}.log");
        try
        {
            var run = await cluster.RunAsync("sync", "--skip-credinvest", "--delete-after-upload", "-v", "--log-file", log);
            Assert.True(run.Exit == 0, $"exit {run.Exit}: {run.Error}");
            var view = JsonNode.Parse(run.Out);
            var runId = JsonAssert.Text(view, "run_id");
            JsonAssert.Same(await cluster.GetAsync($"/api/sync/runs/{runId}"), view);
            Assert.Equal("succeeded", JsonAssert.Text(view, "status"));
            Assert.Equal(
                [("credinvest", "skipped"), ("vestr_fees", "succeeded"), ("fee_snapshots", "succeeded")],
                view!["steps"]!.AsArray().Select(s => (JsonAssert.Text(s, "step"), JsonAssert.Text(s, "status"))));
            Assert.Equal(("true", "true"), (JsonAssert.Text(view["options"], "skip_credinvest"), JsonAssert.Text(view["options"], "delete_after_upload")));

            // -v tells each step's outcome on stderr; --log-file appends the same lines with their times.
            var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal($"Started sync {runId}.", lines[0]);
            Assert.Equal($"Sync {runId} ended succeeded.", lines[^1]);
            Assert.Contains("credinvest: skipped, 0 items", lines);
            Assert.Contains(lines, l => l.StartsWith("fee_snapshots: succeeded, ", StringComparison.Ordinal));
            var logged = (await File.ReadAllLinesAsync(log)).Select(l => l[20..]).ToArray();
            Assert.Equal(lines, logged);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task Truelayer_plan_start_status_and_history()
    {
        var consent = await cluster.Simulator.Admin.PostAsJsonAsync("/_admin/truelayer/consents", new { accounts = 2, cards = 0, transactionsPerAccount = 30, pendingPerAccount = 0, historyDays = 60 });
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        var token = JsonAssert.Text(JsonNode.Parse(await consent.Content.ReadAsStringAsync()), "refresh_token");
        var linked = await cluster.Api.PostAsJsonAsync("/api/truelayer/connections", new { refresh_token = token });
        Assert.Equal(HttpStatusCode.Created, linked.StatusCode);
        var connection = JsonAssert.Text(JsonNode.Parse(await linked.Content.ReadAsStringAsync()), "connection_id");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var plan = (await cluster.RunAsync("truelayer", "plan", "--connection", connection, "--from", Day(today.AddDays(-60)), "--to", Day(today), "--batch-size", "25")).Json();
        Assert.Equal(("planned", connection, 2, 25), (JsonAssert.Text(plan, "status"), JsonAssert.Text(plan, "connection_id"),
            plan!["estimated_accounts"]!.GetValue<int>(), plan["batch_size"]!.GetValue<int>()));
        var jobId = JsonAssert.Text(plan, "job_id");

        var done = (await cluster.RunAsync("truelayer", "start", jobId, "--wait")).Json();
        Assert.Equal(("completed", 2, 100m), (JsonAssert.Text(done, "status"), done!["progress"]!["completed_accounts"]!.GetValue<int>(), done["progress"]!["percent"]!.GetValue<decimal>()));
        JsonAssert.Same(await cluster.GetAsync($"/api/truelayer/import/status/{jobId}"), (await cluster.RunAsync("truelayer", "status", jobId)).Json());
        JsonAssert.Same(await cluster.GetAsync("/api/truelayer/import/history"), (await cluster.RunAsync("truelayer", "history")).Json());
    }

    [Fact]
    public async Task Tasks_submit_wait_status_result_and_list()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tributary-cli-portfolio-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, SeedPortfolio);
        try
        {
            var submitted = (await cluster.RunAsync("tasks", "submit", file)).Json();
            var first = JsonAssert.Text(submitted, "task_id");
            var result = (await cluster.RunAsync("tasks", "submit", file, "--wait")).Json();
            var second = JsonAssert.Text(result, "task_id");
            Assert.NotEqual(first, second);
            Assert.Equal("completed", JsonAssert.Text(result, "status"));
            JsonAssert.Same(await cluster.GetAsync($"/task/{second}/result"), result);

            JsonAssert.Same(await cluster.GetAsync($"/task/{second}/status"), (await cluster.RunAsync("tasks", "status", second)).Json());
            await Eventually.TrueAsync(async () => (await cluster.GetAsync($"/task/{first}/status"))!["status"]!.GetValue<string>() == "completed", $"task {first} completes");
            JsonAssert.Same(await cluster.GetAsync($"/task/{first}/result"), (await cluster.RunAsync("tasks", "result", first)).Json());
            var list = (await cluster.RunAsync("tasks", "list", "--limit", "2")).Json();
            JsonAssert.Same(await cluster.GetAsync("/tasks?limit=2"), list);
            Assert.Equal([second, first], list!.AsArray().Select(t => JsonAssert.Text(t, "task_id")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task At_a_terminal_a_followed_run_draws_a_progress_bar_that_ends_at_100_percent_and_prints_text()
    {
        var run = await cluster.RunAtTerminalAsync("vestr", "sync");

        Assert.True(run.Exit == 0, $"exit {run.Exit}: {run.Error}");
        Assert.Contains("Vestr fee sync (succeeded)", run.Bars, StringComparison.Ordinal);
        Assert.Contains("100%", run.Bars, StringComparison.Ordinal);
        Assert.DoesNotContain("{", run.Out, StringComparison.Ordinal);
        Assert.Contains("\nparameters      (none)\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("\nstatus          succeeded\n", run.Out, StringComparison.Ordinal);
        Assert.StartsWith("runId  ", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_launcher_runs_the_command_line_as_a_process_with_json_when_piped_and_exit_2_on_a_bad_flag()
    {
        var jobs = await LauncherAsync("etl", "jobs");
        Assert.True(jobs.Exit == 0, $"exit {jobs.Exit}: {jobs.Error}");
        JsonAssert.Same(await cluster.GetAsync("/api/etl/jobs"), JsonNode.Parse(jobs.Out));

        var bad = await LauncherAsync("schedules", "list", "--nope");
        Assert.Equal((2, string.Empty), (bad.Exit, bad.Out));
        Assert.Contains("Unrecognized command or argument '--nope'.", bad.Error, StringComparison.Ordinal);
        Assert.Contains("Usage:\n  tributary schedules list [options]", bad.Error, StringComparison.Ordinal);
    }

    private async Task<CliRun> LauncherAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(RepoPaths.Combine("tributary"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TRIBUTARY_URL"] = cluster.Gateway.Address.ToString();
        start.Environment["TRIBUTARY_API_KEY"] = GatewayHost.AdminKey;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await stdout, await stderr, string.Empty);
    }

    private static JsonNode? WithoutAnswerTime(JsonNode? status)
    {
        Assert.NotNull(status!["last_updated"]);
        status.AsObject().Remove("last_updated");
        return status;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
