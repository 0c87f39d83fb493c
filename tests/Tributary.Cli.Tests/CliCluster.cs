using System.Globalization;
using Spectre.Console;

namespace Tributary.Cli.Tests;

/// <summary>
/// One cluster for every command line test: an in-process silo with the WealthX, Vestr, TrueLayer and analysis domains
/// pointed at the simulators, the real gateway on a loopback port, a real PostgreSQL. The command line runs against it in
/// the test process, with captured stdout and stderr.
/// </summary>
public sealed class CliCluster : IAsyncLifetime
{
    private Simulator? _simulator;
    private TributaryTestCluster? _cluster;

    public Simulator Simulator => _simulator ?? throw new InvalidOperationException("Not started.");

    public GatewayHost Gateway => (_cluster ?? throw new InvalidOperationException("Not started.")).Gateway;

    /// <summary>A client of the gateway with the admin key the command line uses, for the answers its output must equal.</summary>
    public HttpClient Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _simulator = await Simulator.StartAsync(new Dictionary<string, string>
        {
            ["Simulators:WealthX:TotalDossiers"] = "3000",
            ["Simulators:Vestr:Products"] = "3",
            ["Simulators:Vestr:Days"] = "10",
        });
        var settings = new Dictionary<string, string>(_simulator.WealthXSettings())
        {
            ["WealthX:MinCallInterval"] = "00:00:00.050",
            ["Vestr:FullSyncFrom"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in _simulator.VestrSettings().Concat(_simulator.TrueLayerSettings()))
        {
            settings[key] = value;
        }

        _cluster = await TributaryTestCluster.StartAsync("cli", o => o.WithGateway().WithSettings(settings));
        Api = Gateway.CreateClient(GatewayHost.AdminKey);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }
    }

    /// <summary>Runs the command line as a script would (stdout not a terminal), with the gateway and key from the environment.</summary>
    public Task<CliRun> RunAsync(params string[] args) => RunAsync(args, terminal: false, apiKey: GatewayHost.AdminKey);

    /// <summary>Runs the command line as at a terminal: text views, and progress bars drawn on the captured console.</summary>
    public Task<CliRun> RunAtTerminalAsync(params string[] args) => RunAsync(args, terminal: true, apiKey: GatewayHost.AdminKey);

    public async Task<CliRun> RunAsync(string[] args, bool terminal, string apiKey)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var bars = new StringWriter { NewLine = "\n" };
        var environment = new Dictionary<string, string?>
        {
            ["TRIBUTARY_URL"] = Gateway.Address.ToString(),
            ["TRIBUTARY_API_KEY"] = apiKey,
        };
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(bars),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        var cli = new CliTerminal(stdout, stderr, terminal, environment, Path.GetTempPath(), () => console);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var exit = await TributaryCli.RunAsync(args, cli, timeout.Token);
        return new CliRun(exit, stdout.ToString(), stderr.ToString(), bars.ToString());
    }

    /// <summary>The gateway's own answer to GET <paramref name="path"/>, to compare the command line's JSON with.</summary>
    public async Task<JsonNode?> GetAsync(string path) => JsonNode.Parse(await Api.GetStringAsync(path));
}

/// <summary>What one run of the command line did: its exit code, stdout, stderr and what its progress bars drew.</summary>
public sealed record CliRun(int Exit, string Out, string Error, string Bars)
{
    /// <summary>stdout as the one line of JSON it must be.</summary>
    public JsonNode? Json()
    {
        Assert.True(Exit == 0, $"exit {Exit}; stderr: {Error}");
        Assert.Equal(string.Empty, Error);
        Assert.EndsWith("\n", Out, StringComparison.Ordinal);
        Assert.Equal(1, Out.Count(c => c == '\n'));
        return JsonNode.Parse(Out);
    }
}

[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliCluster>
{
    public const string Name = "cli";
}
