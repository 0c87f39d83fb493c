using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Tributary.Cli.Commands;

namespace Tributary.Cli;

/// <summary>
/// The <c>tributary</c> command line: every command is a call of the gateway's HTTP API. Exit codes: 0 done, 1 the
/// gateway refused or the work failed (the reason on stderr), 2 bad usage (the reason and the command's usage on stderr).
/// </summary>
public sealed class TributaryCli
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    private readonly CliTerminal _terminal;
    private readonly Command _root;

    public TributaryCli(CliTerminal terminal)
    {
        _terminal = terminal;
        _root = new Command("tributary", "The Tributary cluster from the command line, through its gateway's HTTP API.")
        {
            new HelpOption(),
            new VersionOption(),
            Url,
            ApiKey,
            Json,
        };
        foreach (var command in new[]
        {
            WealthXCommands.Build(this), EtlCommands.Build(this), ScheduleCommands.Build(this), TrueLayerCommands.Build(this),
            SyncCommand.Build(this), VestrCommands.Build(this), TaskCommands.Build(this),
        })
        {
            _root.Subcommands.Add(command);
        }
    }

    public static Option<string?> Url { get; } = new("--url")
    {
        Description = "The gateway (default: TRIBUTARY_URL, else what ./run.sh started: http://127.0.0.1:${TRIBUTARY_API_PORT:-5080}).",
        Recursive = true,
    };

    public static Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key (default: TRIBUTARY_API_KEY, else ./run.sh's admin key in .data/admin-key).",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the gateway's JSON, one line (also whenever stdout is not a terminal).",
        Recursive = true,
    };

    /// <summary>Runs one command line; returns its exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliTerminal terminal, CancellationToken cancellationToken = default) =>
        new TributaryCli(terminal).InvokeAsync(args, cancellationToken);

    public async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken)
    {
        var parse = _root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                _terminal.Error.WriteLine(error.Message);
            }

            return Usage(parse);
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = _terminal.Out, Error = _terminal.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    /// <summary>Sets a command's action: the gateway resolved, the answer printed, errors turned into exit codes.</summary>
    internal void Handle(Command command, Func<Invocation, Task<int>> action) =>
        command.SetAction((parse, cancellationToken) => RunAsync(parse, action, cancellationToken));

    private async Task<int> RunAsync(ParseResult parse, Func<Invocation, Task<int>> action, CancellationToken cancellationToken)
    {
        var output = new CommandOutput(_terminal, parse.GetValue(Json));
        try
        {
            var (url, key) = GatewayAddress.Resolve(parse.GetValue(Url), parse.GetValue(ApiKey), _terminal);
            using var gateway = new GatewayClient(url, key);
            return await action(new Invocation(parse, gateway, output, new ProgressFollower(gateway, _terminal, output.ShowsProgress), cancellationToken));
        }
        catch (UsageException exception)
        {
            _terminal.Error.WriteLine(exception.Message);
            return Usage(parse);
        }
        catch (CommandFailedException exception)
        {
            _terminal.Error.WriteLine(exception.Message);
            return Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _terminal.Error.WriteLine("Stopped following: the work goes on in the cluster.");
            return Failed;
        }
    }

    /// <summary>The usage of the command the line named (the nearest one that parsed), on stderr; exit code 2.</summary>
    private int Usage(ParseResult parse)
    {
        var path = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult command && command.Command != _root; result = result.Parent)
        {
            path.Insert(0, command.Command.Name);
        }

        _terminal.Error.WriteLine();
        _root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = _terminal.Error, Error = _terminal.Error });
        return BadUsage;
    }
}
