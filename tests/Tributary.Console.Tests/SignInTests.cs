namespace Tributary.Console.Tests;

/// <summary>Signing in with an API key, and the overview it opens on.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleSystem system)
{
    [Fact]
    public async Task A_wrong_key_is_refused_with_the_APIs_message_and_a_right_one_opens_the_overview()
    {
        var context = await system.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = system.Gateway.Address.ToString() });
        var page = await context.NewPageAsync();

        // Without a session every console page sends the browser to the sign-in page.
        await page.GotoAsync("/console/runs");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/signin\\?ReturnUrl=%2Fconsole%2Fruns$"));

        await page.GetByTestId("api-key").FillAsync("not-a-key-of-this-gateway");
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("problem")).ToHaveTextAsync("The API key is not valid.");

        await page.GetByTestId("api-key").FillAsync(GatewayHost.OperatorKey);
        await page.GetByTestId("sign-in").ClickAsync();
        // Back where the browser was sent from.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("who")).ToHaveTextAsync($"{GatewayHost.OperatorUser} (operator)");

        // The cookie opens the console, never the API: /api/* still wants a key.
        var api = await page.APIRequest.GetAsync("/api/me");
        Assert.Equal(401, api.Status);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/signin$"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_overview_shows_the_silos_jobs_dead_letters_and_live_events()
    {
        var page = await system.SignInAsync(GatewayHost.OperatorKey);

        await Expect(page.GetByTestId("silos").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("silos").Locator("tbody tr td").Nth(3)).ToHaveTextAsync("Active");
        var wealthx = page.GetByTestId("jobs").Locator("tr[data-job='wealthx_default']");
        await Expect(wealthx.Locator("td").Nth(2)).ToHaveTextAsync("succeeded");
        await Expect(wealthx.Locator("td").Nth(3)).ToHaveTextAsync("paused");
        await Expect(page.GetByTestId("dead-letters")).ToContainTextAsync("0 waiting");

        // Live: a run started while the page is open arrives in the feed, and its job's last run follows.
        await Expect(page.GetByTestId("feed-state")).ToHaveTextAsync("Following the event stream: new events appear here as they happen.");
        var runId = (await ConsoleSystem.PostAsync(system.Operator, "/api/etl/fetch_market_data/runs", new { }, HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;
        var completed = page.GetByTestId("feed").Locator("div").Filter(new() { HasText = "tributary.job.run.completed" }).Filter(new() { HasText = runId });
        await Expect(completed).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("feed").Locator("div").Filter(new() { HasText = "tributary.job.batch.completed" }).Filter(new() { HasText = runId }))
            .ToHaveCountAsync(ConsoleSystem.MarketDataAssets / 2);
        await Expect(page.GetByTestId("jobs").Locator("tr[data-job='fetch_market_data'] td").Nth(2)).ToHaveTextAsync("succeeded");

        await ConsoleSystem.ScreenshotAsync(page, "overview");
    }

    [Fact]
    public async Task An_unknown_console_address_asks_for_sign_in_then_shows_the_consoles_not_found_page()
    {
        var context = await system.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = system.Gateway.Address.ToString() });
        var page = await context.NewPageAsync();

        // Without a session: a redirect to the sign-in page, never the API key's Basic challenge.
        var bare = await page.APIRequest.GetAsync("/console/no/such/page", new() { MaxRedirects = 0 });
        Assert.Equal(302, bare.Status);
        Assert.Equal("/console/signin?ReturnUrl=%2Fconsole%2Fno%2Fsuch%2Fpage", new Uri(bare.Headers["location"]).PathAndQuery);
        Assert.False(bare.Headers.ContainsKey("www-authenticate"));
        await page.GotoAsync("/console/no/such/page");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/signin\\?ReturnUrl=%2Fconsole%2Fno%2Fsuch%2Fpage$"));

        await page.GetByTestId("api-key").FillAsync(GatewayHost.OperatorKey);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("not-found")).ToHaveTextAsync("The console has no page at /console/no/such/page. Back to the overview");
        await Expect(page.GetByTestId("who")).ToHaveTextAsync($"{GatewayHost.OperatorUser} (operator)");

        var signedIn = await page.GotoAsync("/console/nothing-here");
        Assert.Equal(404, signedIn!.Status);
        await Expect(page.GetByTestId("not-found")).ToContainTextAsync("/console/nothing-here");
        // The console's own pages still answer 200.
        Assert.Equal(200, (await page.GotoAsync("/console/runs"))!.Status);
        await ConsoleSystem.ScreenshotAsync(page, "not-found");
        await context.CloseAsync();
    }
}
