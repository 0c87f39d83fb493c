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
/// <param name="UrlSetting">The setting that holds <paramref name="BaseUrl"/>, named by the advice: <c>BaseUrl</c>, <c>DataUrl</c>.</param>
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
    Func<int, UpstreamException?>? RefuseUnread = null,
    string UrlSetting = "BaseUrl");

/// <summary>One request of an <see cref="UpstreamCall"/>: what it sends and what only this call knows.</summary>
/// <param name="Method">GET, or POST with <see cref="Form"/> or <see cref="Body"/>.</param>
/// <param name="Shown">The call as messages show it (a route name, or the path and query when they say nothing secret).</param>
/// <param name="PathAndQuery">Relative to the profile's base URL.</param>
internal sealed record UpstreamRequest(HttpMethod Method, string Shown, string PathAndQuery)
{
    /// <summary>Adds the request's headers (credentials, Accept).</summary>
    public Action<HttpRequestHeaders>? Headers { get; init; }

    /// <summary>The body, sent as <c>application/x-www-form-urlencoded</c>; null for none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Form { get; init; }

    /// <summary>Makes any other body (a GraphQL query as JSON, say), fresh for each attempt; null for none, or when <see cref="Form"/> is set.</summary>
    public Func<HttpContent>? Body { get; init; }

    /// <summary>This call's own secrets (a bearer token, an authorization code), masked like the profile's.</summary>
    public IReadOnlyList<string?> Secrets { get; init; } = [];

    /// <summary>
    /// The failure for a refusal only this call explains (its upstream's error code, say); null for the shared sentence.
    /// The refusal's reason is already redacted.
    /// </summary>
    public Func<UpstreamRefusal, UpstreamException?>? Explain { get; init; }

    /// <summary>
    /// Sees every reply's status line and headers before it is judged: the cookies a login keeps, its <c>Date</c>, a
    /// redirect's <c>Location</c>. Null when the call needs none of them.
    /// </summary>
    public Action<HttpResponseMessage>? Seen { get; init; }

    /// <summary>
    /// The statuses besides 2xx that are this call's answer, read by its reader rather than refused: a 3xx whose
    /// <c>Location</c> <see cref="Seen"/> reads (the HttpClient must not follow redirects itself), or an error page the
    /// caller explains from its body. Null for 2xx only.
    /// </summary>
    public Func<int, bool>? Answers { get; init; }
}

/// <summary>A non-success reply, as an <see cref="UpstreamRequest.Explain"/> sees it.</summary>
/// <param name="Call">The call as messages show it, with its method: <c>GET accounts</c>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Reply">The status line and the upstream's reason: <c>403 Forbidden: the reason.</c></param>
/// <param name="Code">The upstream's own error code, if its body named one.</param>
/// <param name="Reason">The upstream's reason, if it gave one.</param>
/// <param name="RetryAfter">The wait the upstream asked for, if any.</param>
internal sealed record UpstreamRefusal(string Call, int Status, string Reply, string? Code, string? Reason, TimeSpan? RetryAfter);

/// <summary>
/// One attempt at one call (a GET, or a POST of a form) of an upstream, the way every connector makes it: bounded by the profile's timeout, every
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
    public Task<T> GetAsync<T>(
        string shown,
        string pathAndQuery,
        Action<HttpRequestHeaders> headers,
        Func<HttpContent, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken) =>
        SendAsync(new UpstreamRequest(HttpMethod.Get, shown, pathAndQuery) { Headers = headers }, read, cancellationToken);

    /// <summary>Sends <paramref name="request"/> under the base URL and reads the reply with <paramref name="read"/>.</summary>
    public async Task<T> SendAsync<T>(
        UpstreamRequest request,
        Func<HttpContent, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(read);
        var call = $"{request.Method.Method} {request.Shown}";
        IReadOnlyList<string?> secrets = request.Secrets.Count == 0 ? profile.Secrets : [.. profile.Secrets, .. request.Secrets];
        using var timeout = new CancellationTokenSource(profile.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var message = new HttpRequestMessage(request.Method, new Uri(profile.BaseUrl, request.PathAndQuery));
            request.Headers?.Invoke(message.Headers);
            if (request.Form is { } form)
            {
                message.Content = new FormUrlEncodedContent(form);
            }
            else if (request.Body is { } body)
            {
                message.Content = body();
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            request.Seen?.Invoke(response);
            if (!response.IsSuccessStatusCode && request.Answers?.Invoke((int)response.StatusCode) != true)
            {
                throw await RefusedAsync(request, call, secrets, response, attempt.Token);
            }

            return await read(response.Content, attempt.Token);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"{Capitalised(profile.Name)} did not answer {call} within {profile.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({profile.Section}:Timeout). "
                + $"This is usually passing: retry later; if {profile.ShortName} is just slow, raise {profile.Section}:Timeout.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (HttpRequestException exception)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"The connection to {profile.Name} at {profile.BaseUrl.GetLeftPart(UriPartial.Authority)} failed during {call} ({UpstreamReply.Redact(exception.Message, secrets)}). "
                + $"This is usually passing: retry later; if it persists, check {profile.Section}:{profile.UrlSetting} and that {profile.ShortName} is up.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (IOException exception)
        {
            throw new UpstreamException(
                profile.Upstream,
                $"{Capitalised(profile.Name)} dropped the connection while sending its reply to {call} ({UpstreamReply.Redact(exception.Message, secrets)}). Retry later.",
                statusCode: null,
                isTransient: true,
                inner: exception);
        }
        catch (JsonException exception)
        {
            throw profile.Malformed(request.Shown, UpstreamReply.Redact(exception.Message, secrets), exception);
        }
    }

    /// <summary>Masks every secret should upstream text echo it.</summary>
    public string Redact(string text) => UpstreamReply.Redact(text, profile.Secrets);

    /// <summary>The exception for a non-success reply, with the upstream's reason and the advice that fits its status.</summary>
    private async Task<UpstreamException> RefusedAsync(
        UpstreamRequest request, string call, IReadOnlyList<string?> secrets, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (profile.RefuseUnread?.Invoke(status) is { } unread)
        {
            return unread;
        }

        var error = await UpstreamReply.ErrorAsync(response, secrets, cancellationToken);
        var reply = UpstreamReply.Describe(response, error.Reason);
        var retryAfter = UpstreamException.ParseRetryAfter(response.Headers.RetryAfter, time.GetUtcNow());
        if (request.Explain?.Invoke(new UpstreamRefusal(call, status, reply, error.Code, error.Reason, retryAfter)) is { } explained)
        {
            return explained;
        }

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
            $"{Capitalised(profile.Name)} refused {call} with {reply} {advice}",
            status,
            UpstreamException.IsTransientStatus(status),
            error.Code,
            retryAfter);
    }

    /// <summary>The name in a sentence's first word: <c>the feed</c> becomes <c>The feed</c>.</summary>
    public static string Capitalised(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..];
}
