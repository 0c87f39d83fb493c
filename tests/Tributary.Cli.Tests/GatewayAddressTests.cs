using Spectre.Console;

namespace Tributary.Cli.Tests;

/// <summary>With no flag and no variable the command line talks to what ./run.sh started, with the admin key run.sh keeps.</summary>
public sealed class GatewayAddressTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tributary-cli-root-").FullName;

    [Fact]
    public void Defaults_are_run_sh_s_port_and_admin_key_file_under_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_root, ".data"));
        File.WriteAllText(Path.Combine(_root, ".data", "admin-key"), "runsh-admin-key\n");

        Assert.Equal((new Uri("http://127.0.0.1:5080/"), "runsh-admin-key"), GatewayAddress.Resolve(null, null, Terminal()));
        Assert.Equal((new Uri("http://127.0.0.1:6123/"), "runsh-admin-key"), GatewayAddress.Resolve(null, null, Terminal(("TRIBUTARY_API_PORT", "6123"))));
        Assert.Equal((new Uri("http://127.0.0.1:5080/"), "from-run-sh-variable"), GatewayAddress.Resolve(null, null, Terminal(("TRIBUTARY_ADMIN_KEY", "from-run-sh-variable"))));
    }

    [Fact]
    public void Flags_win_over_variables_which_win_over_run_sh()
    {
        var terminal = Terminal(("TRIBUTARY_URL", "http://127.0.0.1:7001"), ("TRIBUTARY_API_KEY", "variable-key"), ("TRIBUTARY_ADMIN_KEY", "admin-variable"));

        Assert.Equal((new Uri("http://127.0.0.1:7001/"), "variable-key"), GatewayAddress.Resolve(null, null, terminal));
        Assert.Equal((new Uri("http://127.0.0.1:7002/"), "flag-key"), GatewayAddress.Resolve("http://127.0.0.1:7002", "flag-key", terminal));
    }

    [Fact]
    public void No_key_anywhere_says_where_it_was_looked_for_and_a_bad_url_is_bad_usage()
    {
        var missing = Assert.Throws<CommandFailedException>(() => GatewayAddress.Resolve(null, null, Terminal()));
        Assert.Equal(
            $"No API key: pass --api-key or set TRIBUTARY_API_KEY (./run.sh keeps its admin key in {Path.Combine(_root, ".data", "admin-key")}, which does not exist).",
            missing.Message);

        var bad = Assert.Throws<UsageException>(() => GatewayAddress.Resolve("ftp://127.0.0.1", "k", Terminal()));
        Assert.Equal("The gateway URL must be an http:// or https:// address; was 'ftp://127.0.0.1' (from --url).", bad.Message);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CliTerminal Terminal(params (string Name, string Value)[] variables) =>
        new(TextWriter.Null, TextWriter.Null, false, variables.ToDictionary(v => v.Name, v => (string?)v.Value, StringComparer.Ordinal), _root, () => AnsiConsole.Console);
}
