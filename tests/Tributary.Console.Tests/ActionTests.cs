using System.Text.RegularExpressions;

namespace Tributary.Console.Tests;

/// <summary>The console's actions, clicked in Chromium: each does what the API does, and a refusal shows the API's message.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ActionTests(ConsoleSystem system)
{
    [Fact]
    public async Task WealthX_runs_a_capped_session_whose_page_lands_live_charts_records_per_day_and_only_an_admin_resets_after_confirming()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/wealthx");
        await Expect(page.GetByTestId("records")).ToHaveTextAsync("Records 1000 / 3000");
        await Expect(page.GetByTestId("completion")).ToHaveTextAsync("Complete 33.33 %");
        await Expect(page.GetByTestId("sessions")).ToHaveTextAsync("Sessions 1 done, 2 left");
        await Expect(page.GetByTestId("pages").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("projection")).ToContainTextAsync("total_dossiers");
        await Expect(page.GetByTestId("records-per-day").Locator("rect")).ToHaveCountAsync(30);
        await Expect(page.GetByTestId("daily").Locator($"tr[data-day='{today}'] td")).ToHaveTextAsync([today, "1000", "1"]);
        await Expect(page.GetByTestId("reset")).ToHaveCountAsync(0);
        await ConsoleSystem.ScreenshotAsync(page, "wealthx-operator");

        // A cap the API refuses: its message, and no session.
        using var refused = await system.Operator.PostAsJsonAsync($"/api/wealthx/{ConsoleSystem.Feed}/sessions", new { maxBatches = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("maxBatches")[0].GetString()!;
        Assert.Equal("A whole number from 1 to 1000; was '0'.", message);
        await page.GetByTestId("max-batches").FillAsync("0");
        await page.GetByTestId("run-now").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToHaveTextAsync(message);
        await Expect(page.GetByTestId("notice")).ToHaveCountAsync(0);

        // One page of the two a session has, slowed so the monitor shows it in flight before it lands.
        await system.AddFaultAsync(new { route = "wealthx.alldossiers", kind = "latency", latencyMs = 2500, count = 1 });
        await page.GetByTestId("max-batches").FillAsync("1");
        await page.GetByTestId("run-now").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync(SessionNotice());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Current session" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pages").Locator("tbody tr td:nth-child(6)")).ToHaveTextAsync(["running"]);
        await ConsoleSystem.ScreenshotAsync(page, "wealthx-session-running");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Last session" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("pages").Locator("tbody tr td:nth-child(6)")).ToHaveTextAsync(["succeeded"]);
        await Expect(page.GetByTestId("pages").Locator("tbody tr td:nth-child(3)")).ToHaveTextAsync(["500"]);
        await Expect(page.GetByTestId("session")).ToContainTextAsync("1 of 1 pages, 500 records");
        await Expect(page.GetByTestId("records")).ToHaveTextAsync("Records 1500 / 3000");
        await Expect(page.GetByTestId("daily").Locator($"tr[data-day='{today}'] td")).ToHaveTextAsync([today, "1500", "2"]);
        await ConsoleSystem.ScreenshotAsync(page, "wealthx-session-landed");

        // Reset is an admin's, behind a confirmation.
        var admin = await system.SignInAsync(GatewayHost.AdminKey);
        await admin.GotoAsync("/console/wealthx");
        await Expect(admin.GetByTestId("records")).ToHaveTextAsync("Records 1500 / 3000");
        await admin.GetByTestId("reset").ClickAsync();
        await Expect(admin.GetByTestId("confirm-reset")).ToBeVisibleAsync();
        await ConsoleSystem.ScreenshotAsync(admin, "wealthx-admin-confirm-reset");
        Assert.Equal(1_501, (await system.Operator.GetFromJsonAsync<JsonElement>($"/api/wealthx/{ConsoleSystem.Feed}/status")).GetProperty("current_index").GetInt32());
        await admin.GetByTestId("confirm-reset").ClickAsync();
        await Expect(admin.GetByTestId("notice")).ToHaveTextAsync("The pull was reset.");
        // A reset forgets the total too: WealthX reports it again with the next session's first page.
        await Expect(admin.GetByTestId("records")).ToHaveTextAsync("Records 0 / not known until the first page");
        await Expect(admin.GetByTestId("completion")).ToHaveTextAsync("Complete not known");
        var status = await system.Operator.GetFromJsonAsync<JsonElement>($"/api/wealthx/{ConsoleSystem.Feed}/status");
        Assert.Equal((1, 0L, JsonValueKind.Null), (status.GetProperty("current_index").GetInt32(), status.GetProperty("records_processed").GetInt64(), status.GetProperty("total_records").ValueKind));
        // The operator's monitor follows, still without the admin's action.
        await Expect(page.GetByTestId("records")).ToHaveTextAsync("Records 0 / not known until the first page");
        await Expect(page.GetByTestId("reset")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Runs_start_a_run_that_appears_and_its_dead_letters_replay_one_then_all()
    {
        // The first two batches fail both their attempts; the third and every later call succeed.
        await system.AddFaultAsync(new { route = "marketdata.quotes", kind = "5xx", status = 503, count = 4 });
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/runs");
        await page.GetByTestId("start-job").SelectOptionAsync("fetch_market_data");
        await page.GetByTestId("start-run").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync(RunNotice());
        var runId = RunNotice().Match(await page.GetByTestId("notice").TextContentAsync() ?? string.Empty).Groups[1].Value;
        var row = page.GetByTestId("runs").Locator($"tr[data-run='{runId}'] td");
        await Expect(row.Nth(1)).ToHaveTextAsync("fetch_market_data");
        await Expect(row.Nth(3)).ToHaveTextAsync("partially_succeeded", new() { Timeout = 60_000 });
        await Expect(row.Nth(8)).ToHaveTextAsync("2");

        var letters = (await system.Operator.GetFromJsonAsync<JsonElement>("/api/etl/dead-letters?job=fetch_market_data")).EnumerateArray()
            .Select(l => l.GetProperty("deadLetterId").GetInt64()).ToList();
        Assert.Equal(2, letters.Count);
        await Expect(page.GetByTestId("dead-letters").Locator("tbody tr")).ToHaveCountAsync(2);
        await ConsoleSystem.ScreenshotAsync(page, "runs-dead-letters");

        await page.GetByTestId($"replay-{letters[0]}").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync(new Regex($"^Dead letter {letters[0]} replays in run [0-9a-f-]{{36}}\\.$"));
        await Expect(page.GetByTestId("dead-letters").Locator("tbody tr")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("dead-letters").Locator($"tr[data-letter='{letters[1]}']")).ToHaveCountAsync(1);

        await page.GetByTestId("replay-all").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync("1 replay run(s) started.");
        await Expect(page.GetByTestId("dead-letters").Locator("tbody tr")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("replay-all")).ToBeDisabledAsync();
        Assert.Empty((await system.Operator.GetFromJsonAsync<JsonElement>("/api/etl/dead-letters")).EnumerateArray());
        var replays = (await system.Operator.GetFromJsonAsync<JsonElement>("/api/etl/runs?job=fetch_market_data&limit=10")).EnumerateArray()
            .Where(r => r.GetProperty("trigger").GetString() == "replay").Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["succeeded", "succeeded"], replays);
        await ConsoleSystem.ScreenshotAsync(page, "runs-replayed");
    }

    [Fact]
    public async Task Schedules_pause_resume_and_trigger_show_their_effect()
    {
        const string job = "prune_retention";
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/schedules");
        var row = page.GetByTestId("schedules").Locator($"tr[data-job='{job}']");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("active");

        await row.GetByTestId("pause").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync($"{job}: paused.");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("paused");
        Assert.False((await system.Operator.GetFromJsonAsync<JsonElement>($"/api/schedules/{job}")).GetProperty("enabled").GetBoolean());
        await ConsoleSystem.ScreenshotAsync(page, "schedules-paused");

        await row.GetByTestId("resume").ClickAsync();
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync($"{job}: resumed.");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("active");
        Assert.True((await system.Operator.GetFromJsonAsync<JsonElement>($"/api/schedules/{job}")).GetProperty("enabled").GetBoolean());

        await row.GetByTestId("trigger").ClickAsync();
        var triggered = new Regex($"^{job}: run ([0-9a-f-]{{36}}) started\\.$");
        await Expect(page.GetByTestId("notice")).ToHaveTextAsync(triggered);
        var runId = triggered.Match(await page.GetByTestId("notice").TextContentAsync() ?? string.Empty).Groups[1].Value;
        await system.WaitForRunAsync(runId);
        Assert.Equal(job, (await system.Operator.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}")).GetProperty("job").GetString());
        await page.GotoAsync("/console/runs");
        await Expect(page.GetByTestId("runs").Locator($"tr[data-run='{runId}'] td").Nth(1)).ToHaveTextAsync(job);
    }

    [GeneratedRegex("^Session [0-9a-f-]{36}: (queued|running)\\.$")]
    private static partial Regex SessionNotice();

    [GeneratedRegex("^Run ([0-9a-f-]{36}) of fetch_market_data: (queued|running)\\.$")]
    private static partial Regex RunNotice();
}
