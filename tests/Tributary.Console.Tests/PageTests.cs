namespace Tributary.Console.Tests;

/// <summary>Each page renders the seeded system's data as the API serves it, and acts through the API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PageTests(ConsoleSystem system)
{
    [Fact]
    public async Task Runs_lists_the_seeded_runs_and_a_run_shows_its_batches()
    {
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/runs");
        var row = page.GetByTestId("runs").Locator($"tr[data-run='{system.WealthXRunId}']");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("wealthx_default");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("succeeded");
        await ConsoleSystem.ScreenshotAsync(page, "runs");

        var run = await system.Operator.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{system.WealthXRunId}");
        await row.Locator("a").ClickAsync();
        await Expect(page.GetByTestId("run-summary")).ToContainTextAsync("wealthx_default · succeeded");
        await Expect(page.GetByTestId("batches").Locator("tbody tr")).ToHaveCountAsync(run.GetProperty("batches").GetArrayLength());
        await ConsoleSystem.ScreenshotAsync(page, "run");
    }

    [Fact]
    public async Task Schedules_show_five_occurrences_in_both_zones_and_a_bad_cron_gets_the_APIs_message()
    {
        var page = await system.SignInAsync(GatewayHost.OperatorKey, timeZone: "America/New_York");
        await page.GotoAsync("/console/schedules");
        var row = page.GetByTestId("schedules").Locator("tr[data-job='wealthx_default']");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("0 0 1 1 *");
        await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("paused");
        await row.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByTestId("occurrences").Locator("tbody tr")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("occurrences").Locator("th").Nth(1)).ToHaveTextAsync("In your zone (America/New_York)");
        // 1 January 00:00 UTC is 31 December 19:00 in New York.
        await Expect(page.GetByTestId("occurrences").Locator("tbody tr").First.Locator("td").Nth(1)).ToContainTextAsync("-12-31 19:00:00 -05:00");
        await ConsoleSystem.ScreenshotAsync(page, "schedules");

        using var refused = await system.Operator.PutAsJsonAsync("/api/schedules/wealthx_default", new { cron = "61 * * * *" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var expected = string.Join(" ", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject()
            .SelectMany(e => e.Value.EnumerateArray().Select(m => m.GetString())));
        await page.GetByTestId("cron").FillAsync("61 * * * *");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToHaveTextAsync(expected);
        await ConsoleSystem.ScreenshotAsync(page, "schedule-bad-cron");
        Assert.Equal("0 0 1 1 *", (await system.Operator.GetFromJsonAsync<JsonElement>("/api/schedules/wealthx_default")).GetProperty("cron").GetString());
    }

    [Fact]
    public async Task The_import_wizard_runs_an_import_to_100_percent()
    {
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/truelayer");
        await page.GetByTestId("preset-30d").ClickAsync();
        await page.GetByTestId("next").ClickAsync();
        foreach (var account in system.Accounts)
        {
            await Expect(page.GetByTestId($"account-{account}")).ToBeCheckedAsync();
        }

        await ConsoleSystem.ScreenshotAsync(page, "truelayer-accounts");
        await page.GetByTestId("next").ClickAsync();
        await page.GetByTestId("batch-size").FillAsync("20");
        await page.GetByTestId("next").ClickAsync();
        await Expect(page.GetByTestId("plan")).ToContainTextAsync("(31 days)");
        await ConsoleSystem.ScreenshotAsync(page, "truelayer-review");
        await page.GetByTestId("start-import").ClickAsync();
        await Expect(page.GetByTestId("percent")).ToHaveTextAsync("100 %", new() { Timeout = 120_000 });
        await Expect(page.GetByTestId("import-status")).ToHaveTextAsync("completed");
        await Expect(page.GetByTestId("account-card")).ToHaveCountAsync(system.Accounts.Count);
        await Expect(page.GetByTestId("history").Locator("tbody tr")).ToHaveCountAsync(1);
        await ConsoleSystem.ScreenshotAsync(page, "truelayer-progress");
    }

    [Fact]
    public async Task Vestr_shows_the_monthly_fees_chart_and_the_snapshots()
    {
        var snapshots = await system.Operator.GetFromJsonAsync<JsonElement>("/api/vestr/snapshots");
        var monthly = await system.Operator.GetFromJsonAsync<JsonElement>("/api/vestr/summaries/monthly");
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/vestr");
        await Expect(page.GetByTestId("snapshots").Locator("tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(3, snapshots.GetArrayLength());
        await Expect(page.GetByTestId("monthly").Locator("tbody tr")).ToHaveCountAsync(monthly.GetArrayLength());
        await Expect(page.GetByTestId("monthly-fees").Locator("rect")).ToHaveCountAsync(
            monthly.EnumerateArray().Select(m => m.GetProperty("period").GetString()![..7]).Distinct().Count()
            * monthly.EnumerateArray().Select(m => $"{m.GetProperty("product_isin")} {m.GetProperty("fee_type")} {m.GetProperty("currency")}").Distinct().Count());
        await ConsoleSystem.ScreenshotAsync(page, "vestr");
    }

    [Fact]
    public async Task Sync_shows_the_runs_steps_and_why_files_were_left_out()
    {
        var run = await system.Operator.GetFromJsonAsync<JsonElement>($"/api/sync/runs/{system.SyncRunId}");
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/sync");
        var section = page.Locator($"section[data-run='{system.SyncRunId}']");
        await Expect(section.Locator("tr[data-step]")).ToHaveCountAsync(run.GetProperty("steps").GetArrayLength());
        foreach (var name in ConsoleSystem.RelaySelected)
        {
            await Expect(page.GetByTestId("files").Locator($"tr[data-file='{name}'] td").Nth(5)).ToHaveTextAsync("selected");
        }

        foreach (var name in ConsoleSystem.RelayLeftOut)
        {
            await Expect(page.GetByTestId("files").Locator($"tr[data-file='{name}'] td").Nth(5)).ToHaveTextAsync("left out");
            await Expect(page.GetByTestId("files").Locator($"tr[data-file='{name}'] td").Nth(6)).Not.ToBeEmptyAsync();
        }

        await ConsoleSystem.ScreenshotAsync(page, "sync");
    }

    [Fact]
    public async Task Tasks_filter_by_status_and_a_task_shows_its_sections_and_result()
    {
        var page = await system.SignInAsync(GatewayHost.OperatorKey);
        await page.GotoAsync("/console/tasks");
        await page.GetByTestId("filter-status").SelectOptionAsync("completed");
        await page.GetByTestId("apply-filters").ClickAsync();
        await Expect(page.GetByTestId("tasks").Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByTestId("filter-status").SelectOptionAsync("failed");
        await page.GetByTestId("apply-filters").ClickAsync();
        await Expect(page.GetByTestId("tasks").Locator("tbody tr")).ToHaveCountAsync(0);
        await page.GetByTestId("filter-status").SelectOptionAsync("");
        await page.GetByTestId("apply-filters").ClickAsync();
        await ConsoleSystem.ScreenshotAsync(page, "tasks");

        await page.GetByTestId("tasks").Locator($"tr[data-task='{system.TaskId}'] a").ClickAsync();
        await Expect(page.GetByTestId("task-status")).ToContainTextAsync("completed");
        await Expect(page.GetByTestId("sections").Locator("tr[data-section='summary'] td").Nth(4))
            .ToHaveTextAsync("The portfolio is worth 1,250,000.50; its largest holding is Nestle.");
        await ConsoleSystem.ScreenshotAsync(page, "task");
    }
}
