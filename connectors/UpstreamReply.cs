using System.Globalization;
using System.Text.Json;

namespace Tributary.Connectors;

/// <summary>
/// What every connector says about a refused reply: the status line, the upstream's own reason, and never a
/// secret. Each connector adds only the advice that fits its upstream.
/// </summary>
internal static class UpstreamReply
{
    /// <summary>How much of a non-JSON error body is quoted in a message.</summary>
    public const int MaxQuotedBodyLength = 300;

    public const string Redacted = "***";

    /// <summary><c>503 Service Unavailable: the reason.</c>, or just the status line when the upstream gave no reason.</summary>
    public static string Describe(HttpResponseMessage response, string? reason) =>
        $"{((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}".TrimEnd()
        + (reason is null ? "." : $": {reason.TrimEnd('.')}.");

    /// <summary>
    /// The upstream's own explanation: the <c>message</c> of a JSON error body (name matched case-insensitively),
    /// else the start of the body text; null for an empty or unreadable body. Secrets are masked.
    /// </summary>
    public static async Task<string?> ReasonAsync(HttpResponseMessage response, IReadOnlyList<string?> secrets, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } message)
                        {
                            return Redact(message, secrets);
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not the upstream's JSON error (a proxy's HTML page, say): quote its start instead.
        }

        var trimmed = text.Trim();
        return Redact(trimmed.Length <= MaxQuotedBodyLength ? trimmed : trimmed[..MaxQuotedBodyLength] + "...", secrets);
    }

    /// <summary>Masks every secret should upstream text echo it: error messages are logged and stored.</summary>
    public static string Redact(string text, IReadOnlyList<string?> secrets)
    {
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
