using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>
/// What a command prints on stdout: the gateway's JSON, one line, when <c>--json</c> is given or stdout is not a
/// terminal (scripts read it); a readable text view otherwise. Notes and errors go to stderr, never mixed into the JSON.
/// </summary>
public sealed class CommandOutput(CliTerminal terminal, bool jsonRequested)
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Plain JSON on stdout: asked for, or stdout is a pipe or a file.</summary>
    public bool Json { get; } = jsonRequested || !terminal.OutputIsTerminal;

    /// <summary>Progress bars only on a terminal, and never when JSON is asked for.</summary>
    public bool ShowsProgress => !Json;

    public TextWriter Error => terminal.Error;

    public void Write(JsonNode? node)
    {
        if (Json)
        {
            terminal.Out.WriteLine(node is null ? "null" : node.ToJsonString(Compact));
        }
        else
        {
            HumanText.Write(terminal.Out, node);
        }
    }

    /// <summary>A line for the person at the terminal (stderr), left out in JSON mode so scripts see only the JSON.</summary>
    public void Note(string line)
    {
        if (!Json)
        {
            terminal.Error.WriteLine(line);
        }
    }
}
