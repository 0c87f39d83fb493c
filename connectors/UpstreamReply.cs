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
    public static async Task<string?> ReasonAsync(HttpResponseMessage response, IReadOnlyList<string?> secrets, CancellationToken cancellationToken) =>
        (await ErrorAsync(response, secrets, cancellationToken)).Reason;

    /// <summary>
    /// The upstream's own explanation and error code. The reason is the <c>message</c> or, OAuth style, the
    /// <c>error_description</c> of a JSON error body (names matched case-insensitively), else the start of the body
    /// text; the code is the body's <c>error</c> when that is a string (<c>{"error":"invalid_grant",...}</c>). Either
    /// is null when absent; secrets are masked in both.
    /// </summary>
    public static async Task<UpstreamError> ErrorAsync(HttpResponseMessage response, IReadOnlyList<string?> secrets, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return new UpstreamError(null, null);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new UpstreamError(null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                string? message = null;
                string? description = null;
                string? code = null;
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: > 0 } value)
                    {
                        continue;
                    }

                    if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        message = value;
                    }
                    else if (property.Name.Equals("error_description", StringComparison.OrdinalIgnoreCase))
                    {
                        description = value;
                    }
                    else if (property.Name.Equals("error", StringComparison.OrdinalIgnoreCase))
                    {
                        code = value;
                    }
                }

                if ((message ?? description) is { } reason)
                {
                    return new UpstreamError(Redact(reason, secrets), code is null ? null : Redact(code, secrets));
                }

                if (code is not null)
                {
                    return new UpstreamError(Quote(text, secrets), Redact(code, secrets));
                }
            }
        }
        catch (JsonException)
        {
            // Not the upstream's JSON error (a proxy's HTML page, say): quote its start instead.
        }

        return new UpstreamError(Quote(text, secrets), null);
    }

    private static string Quote(string text, IReadOnlyList<string?> secrets)
    {
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

/// <summary>What an upstream's error body said: its reason in words and its own error code, each null when absent.</summary>
internal sealed record UpstreamError(string? Reason, string? Code);
