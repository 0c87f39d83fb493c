using System.Globalization;

namespace Tributary.Console.Tests;

/// <summary>
/// One seeded system for every console test: a silo process with the WealthX, TrueLayer, Vestr, relay/sync and analysis
/// domains pointed at the simulators and a real SFTP server, the real gateway (which serves the console) on loopback,
/// and Debian's Chromium driven by Playwright. The seed is real work run through the API.
/// </summary>
public sealed class ConsoleSystem : IAsyncLifetime
{
    public const string Feed = "default";
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The seed's analysis input (the analysis tests' example).</summary>
    public const string TaskData =
        """
        [
          {"Market Value": 1250000.50, "Top Asset": "Nestle", "Currency": "CHF"},
          {"top_movers_data": [{"name": "Roche", "change_pct": 3.2}, {"name": "UBS", "change_pct": -2.5}]}
        ]
        """;

    /// <summary>The relay listing: what the selection keeps and what it leaves out.</summary>
    public static readonly string[] RelaySelected = ["10001-20261130170000-INTE100F.xlsx", "10001-20261130171000-INTE400F.xlsx"];

    /// <summary>The assets fetch_market_data quotes: three batches of two.</summary>
    public const int MarketDataAssets = 6;

    public static readonly string[] RelayLeftOut = ["10001-20261127170000-INTE100F.xlsx", "notes.txt"];

    private readonly List<IBrowserContext> _contexts = [];
    private SiloProcess? _silo;
    private string? _downloads;

    public Simulator Simulator { get; private set; } = null!;
    public SftpServer Sftp { get; private set; } = null!;
    public GatewayHost Gateway { get; private set; } = null!;
    public HttpClient Operator { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The TrueLayer connection the operator linked, and its accounts' ids.</summary>
    public string ConnectionId { get; private set; } = string.Empty;

    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public string WealthXRunId { get; private set; } = string.Empty;
    public string VestrRunId { get; private set; } = string.Empty;
    public string SyncRunId { get; private set; } = string.Empty;
    public string TaskId { get; private set; } = string.Empty;

    /// <summary>Where screenshots go: <c>TRIBUTARY_SCREENSHOTS</c>, or <c>screenshots/</c> beside the test assembly.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("TRIBUTARY_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Simulator = await Simulator.StartAsync(new Dictionary<string, string>
        {
            ["Simulators:WealthX:TotalDossiers"] = "3000",
            ["Simulators:Vestr:Products"] = "3",
            ["Simulators:Vestr:Days"] = "20",
        });
        Sftp = await SftpServer.StartAsync();
        foreach (var (name, i) in RelaySelected.Concat(RelayLeftOut).Select((n, i) => (n, i)))
        {
            Sftp.Put(name, 20_000 + (i * 1_000), seed: i);
        }

        _downloads = Path.Combine(Path.GetTempPath(), $"tributary-console-relay-{Guid.NewGuid():N}");
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("console");
        var id = Guid.NewGuid().ToString("N")[..10];
        var (clusterId, serviceId) = ($"cluster-{id}", $"service-{id}");
        var settings = new Dictionary<string, string>
        {
            ["Database:ConnectionString"] = connectionString,
            ["Database:MigrateOnStart"] = "true",
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:ServiceId"] = serviceId,
            ["Silo:MinimumReminderPeriod"] = "00:00:01",
            ["JobRuntime:WatchdogPeriod"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
            ["WealthX:MinCallInterval"] = "00:00:00.050",
            ["WealthX:SessionSize"] = "1000",
            ["Relay:DownloadDirectory"] = _downloads,
            // fetch_market_data, the job the runs tests start: 2 assets a batch, one batch at a time, 2 attempts.
            ["Jobs:fetch_market_data:BatchSize"] = "2",
            ["Jobs:fetch_market_data:MaxParallelBatches"] = "1",
            ["Jobs:fetch_market_data:MaxAttempts"] = "2",
            ["Jobs:fetch_market_data:RetryBaseDelay"] = "00:00:00.050",
            ["Vestr:FullSyncFrom"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        foreach (var part in new[] { Simulator.WealthXSettings(), Simulator.MarketDataSettings(), Simulator.TrueLayerSettings(), Simulator.VestrSettings(), Simulator.DropboxSettings(), Sftp.CredinvestSettings() })
        {
            foreach (var (key, value) in part)
            {
                settings[key] = value;
            }
        }

        _silo = SiloProcess.Start("silo-1", settings);
        var gateway = GatewayHost.StartAsync(connectionString, clusterId, serviceId);
        while (!gateway.IsCompleted)
        {
            if (_silo.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_silo.ExitCode} during start-up:\n{_silo.Output}");
            }

            await Task.WhenAny(gateway, Task.Delay(200));
        }

        Gateway = await gateway;
        Operator = Gateway.CreateClient(GatewayHost.OperatorKey);
        Admin = Gateway.CreateClient(GatewayHost.AdminKey);
        await Eventually.TrueAsync(
            async () => (await Operator.GetFromJsonAsync<JsonElement>("/api/cluster/silos")).GetArrayLength() == 1,
            $"the cluster reports its silo active; silo output:\n{_silo.Output}");

        await SeedAsync();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a container has no user namespaces for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>Real work through the API: a WealthX session, a linked TrueLayer connection, a Vestr sync, an integrated sync run, a task.</summary>
    private async Task SeedAsync()
    {
        WealthXRunId = (await PostAsync(Operator, $"/api/wealthx/{Feed}/sessions", new { }, HttpStatusCode.Accepted)).GetProperty("runId").GetString()!;

        var consent = await PostAsync(Simulator.Admin, "/_admin/truelayer/consents",
            new { accounts = 2, cards = 0, transactionsPerAccount = 30, pendingPerAccount = 1, historyDays = 365 }, HttpStatusCode.Created);
        Accounts = [.. consent.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account_id").GetString()!)];
        ConnectionId = (await PostAsync(Operator, "/api/truelayer/connections", new { refresh_token = consent.GetProperty("refresh_token").GetString() }, HttpStatusCode.Created))
            .GetProperty("connection_id").GetString()!;

        await PostAsync(Operator, "/api/portfolio/assets", Enumerable.Range(1, MarketDataAssets).Select(i => new
        {
            asset_id = $"CON-{i}",
            symbol = $"CON{i}",
            name = $"Console asset {i}",
            asset_class = "equity",
            currency = "USD",
        }).ToArray(), HttpStatusCode.OK);
        await WaitForRunAsync(WealthXRunId);
        VestrRunId = (await PostAsync(Operator, "/api/vestr/sync", new { }, HttpStatusCode.Accepted)).GetProperty("run_id").GetString()!;
        await WaitForRunAsync(VestrRunId);
        SyncRunId = (await PostAsync(Operator, "/api/sync/runs", new { }, HttpStatusCode.Accepted)).GetProperty("run_id").GetString()!;
        using (var body = new StringContent($$"""{"data": {{TaskData}}}""", System.Text.Encoding.UTF8, "application/json"))
        {
            using var response = await Operator.PostAsync("/task/submit", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /task/submit answered {(int)response.StatusCode}: {text}");
            TaskId = JsonDocument.Parse(text).RootElement.GetProperty("task_id").GetString()!;
        }

        await Eventually.TrueAsync(
            async () => (await Operator.GetFromJsonAsync<JsonElement>($"/api/sync/runs/{SyncRunId}")).GetProperty("status").GetString() is not ("running" or "queued"),
            $"sync run {SyncRunId} ends", TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync(
            async () => (await Operator.GetFromJsonAsync<JsonElement>($"/task/{TaskId}/status")).GetProperty("status").GetString() == "completed",
            $"task {TaskId} completes");
    }

    public async Task WaitForRunAsync(string runId) =>
        await Eventually.TrueAsync(
            async () => (await Operator.GetFromJsonAsync<JsonElement>($"/api/etl/runs/{runId}")).GetProperty("status").GetString() is not ("running" or "queued" or "pending"),
            $"run {runId} ends", TimeSpan.FromSeconds(120));

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Adds a fault rule to the simulators (<c>/_admin/faults</c>).</summary>
    public async Task AddFaultAsync(object rule) => await PostAsync(Simulator.Admin, "/_admin/faults", rule, HttpStatusCode.Created);

    /// <summary>A new browser page signed in to the console with <paramref name="key"/> (its own cookies).</summary>
    public async Task<IPage> SignInAsync(string key, string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Gateway.Address.ToString(),
            TimezoneId = timeZone,
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        context.SetDefaultTimeout(30_000);
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        var page = await context.NewPageAsync();
        await page.GotoAsync("/console/signin");
        await page.GetByTestId("api-key").FillAsync(key);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves a full-page screenshot named after the page, as a test artefact.</summary>
    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        Operator?.Dispose();
        Admin?.Dispose();
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        if (Sftp is not null)
        {
            await Sftp.DisposeAsync();
        }

        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        if (_downloads is not null && Directory.Exists(_downloads))
        {
            Directory.Delete(_downloads, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleSystem>
{
    public const string Name = "console";
}
