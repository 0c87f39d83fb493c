namespace Tributary.Simulators.Dropbox;

/// <summary>
/// A path in the simulated namespace: <c>/folder/name.ext</c>, case-preserving for display and compared in lower
/// case, as Dropbox does. The root is the empty string.
/// </summary>
public sealed record DropboxPath(string Display)
{
    public string Lower { get; } = Display.ToLowerInvariant();

    /// <summary>The parent folder, lower case (<c>""</c> for the root).</summary>
    public string ParentLower => Lower[..Lower.LastIndexOf('/')];

    /// <summary>The parent folder as displayed.</summary>
    public string ParentDisplay => Display[..Display.LastIndexOf('/')];

    /// <summary>The last segment.</summary>
    public string Name => Display[(Display.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Reads a non-root path: starts with <c>/</c>, no empty segment, no trailing slash, no <c>.</c> or <c>..</c>
    /// segment. Null, with the reason in <paramref name="reason"/>, otherwise.
    /// </summary>
    public static DropboxPath? Parse(string? text, out string? reason)
    {
        reason = text switch
        {
            null => "path is required.",
            "" or "/" => "path must name a file or folder, not the root.",
            _ when text[0] != '/' => $"path '{text}' did not match pattern '(/(.|[\\r\\n])*)|(ns:[0-9]+(/.*)?)'.",
            _ when text.EndsWith('/') => $"path '{text}' must not end with a slash.",
            _ when text[1..].Split('/').Any(segment => segment is "" or "." or "..") => $"path '{text}' has an empty, '.' or '..' segment.",
            _ => null,
        };
        return reason is null ? new DropboxPath(text!) : null;
    }

    /// <summary>The lower-case folder of <paramref name="lower"/>'s parent.</summary>
    public static string ParentOf(string lower) => lower[..lower.LastIndexOf('/')];
}
