using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Tributary.Connectors;

/// <summary>
/// How a connector speaks of its upstream: its names in sentences, the setting section its advice points to, the
/// secrets no message may contain, and the advice that fits a refusal only this upstream explains.
/// </summary>
/// <param name="Upstream">The <see cref="UpstreamException.Upstream"/> of every failure, e.g. <c>marketdata</c>.</param>
/// <param name="Name">The upstream in a sentence, lower case where it is not a proper name: <c>the market-data feed</c>, <c>WealthX</c>.</param>
/// <param name="ShortName">The upstream when named again in the same sentence: <c>the feed</c>, <c>WealthX</c>.</param>
/// <param name="Section">The settings section the advice names, e.g. <c>MarketData</c>.</param>
/// <param name="BaseUrl">The API root, ending with a slash.</param>
/// <param name="Timeout">The bound of one call, reply body included.</param>
/// <param name="Secrets">Masked wherever upstream text is quoted: error messages are logged and stored.</param>
/// <param name="Advice">The advice for a permanent refusal this upstream explains itself (401, 403, 404...); null for the shared advice.</param>
/// <param name="RequestAdvice">The advice for any other permanent refusal: the request itself is wrong.</param>
/// <param name="Malformed">The failure for a reply that is not what was expected (the call shown, why).</param>
/// <param name="RefuseUnread">A refusal answered without reading the body (WealthX's empty 401); null to read it.</param>
internal sealed record UpstreamProfile(
    string Upstream,
    string Name,
    string ShortName,
    string Section,
    Uri BaseUrl,
    TimeSpan Timeout,
    IReadOnlyList<string?> Secrets,
    Func<int, string?> Advice,
    string RequestAdvice,
    Func<string, string, Exception?, UpstreamException> Malformed,
    Func<int, UpstreamException?>? RefuseUnread = null);

/// <summary>
/// One attempt at one GET of an upstream, the way every connector makes it: bounded by the profile's timeout, every
/// failure an <see cref="UpstreamException"/> (transient for timeouts, resets, 408, 429, 5xx and malformed replies;
/// permanent for other refusals) with a sentence that names the upstream and says what to do, and never a secret.
/// Caller cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>No retry here: the job runtime retries, backs off, honours Retry-After and spaces calls, per batch.</remarks>
internal sealed class UpstreamCall(HttpClient http, TimeProvider time, UpstreamProfile profile)
{
    /// <summary>GETs <paramref name="pathAndQuery"/> under the base URL and reads the reply with <paramref name="read"/>.</summary>
    /// <param name="shown">The call as messages show it (a route name, or the path and query when they say nothing secret).</param>
    /// <param name="headers">Adds the request's headers (credentials, Accept).</param>
    public async Task<T> GetAsync<T>(
        string shown,
        string pathAndQuery,
        Action<HttpRequestHeaders> headers,
        Func<HttpContent, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(profile.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(profile.BaseUrl, pathAndQuery));
            headers(request.Headers);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw await RefusedAsync(shown, response, attempt.Token);
            }

            return await read(response.Content, attempt.Token);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"{Capitalised(profile.Name)} did not answer GET {shown} within {profile.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({profile.Section}:Timeout). "
                + $"This is usually passing: retry later; if {profile.ShortName} is just slow, raise {profile.Section}:Timeout.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"The connection to {profile.Name} at {profile.BaseUrl.GetLeftPart(UriPartial.Authority)} failed during GET {shown} ({Redact(exception.Message)}). "
                + $"This is usually passing: retry later; if it persists, check {profile.Section}:BaseUrl and that {profile.ShortName} is up.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (IOException exception)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"{Capitalised(profile.Name)} dropped the connection while sending its reply to GET {shown} ({Redact(exception.Message)}). Retry later.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (JsonException exception)
        {
            throw profile.Malformed(shown, Redact(exception.Message), exception);
        }
    }

    /// <summary>Masks every secret should upstream text echo it.</summary>
    public string Redact(string text) => UpstreamReply.Redact(text, profile.Secrets);

    /// <summary>The exception for a non-success reply, with the upstream's reason and the advice that fits its status.</summary>
    private async Task<UpstreamException> RefusedAsync(string shown, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (profile.RefuseUnread?.Invoke(status) is { } unread)
        {
            return unread;
        }

        var reply = UpstreamReply.Describe(response, await UpstreamReply.ReasonAsync(response, profile.Secrets, cancellationToken));
        var retryAfter = UpstreamException.ParseRetryAfter(response.Headers.RetryAfter, time.GetUtcNow());
        var advice = status switch
        {
            429 when retryAfter is { } wait => $"{Capitalised(profile.ShortName)} is rate limiting this client: wait {wait.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (Retry-After) before calling again.",
            429 => $"{Capitalised(profile.ShortName)} is rate limiting this client: slow down before calling again.",
            _ when profile.Advice(status) is { } own => own,
            _ when UpstreamException.IsTransientStatus(status) => $"This is usually passing: retry later; if it persists, check {profile.ShortName}'s status.",
            _ => profile.RequestAdvice,
        };

        return new UpstreamException(
            profile.Upstream,
            $"{Capitalised(profile.Name)} refused GET {shown} with {reply} {advice}",
            status,
            UpstreamException.IsTransientStatus(status),
            retryAfter);
    }

    private static string Capitalised(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
