using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Tributary.Cli;

/// <summary>
/// The gateway's HTTP API as the commands use it: JSON in, JSON out, every error answer turned into a
/// <see cref="CommandFailedException"/> that says what went wrong. The key goes in <c>X-Api-Key</c> and nowhere else.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);
    private readonly HttpClient _http;

    public GatewayClient(Uri baseAddress, string apiKey)
    {
        BaseAddress = baseAddress;
        // No overall timeout: the event stream stays open; each plain request has its own (RequestTimeout).
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseAddress { get; }

    public Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode?> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonNode?> PutAsync(string path, JsonNode? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>
    /// Opens <c>/api/events</c> (Server-Sent Events) with the given query, from the next event on (<c>after=latest</c>:
    /// the work followed was just started, and its status is read besides); the caller reads and disposes the answer.
    /// </summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events" + query + (query.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "after=latest");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw CommandFailedException.From(HttpMethod.Get, "/api/events", response.StatusCode, response.ReasonPhrase, body);
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException exception)
        {
            throw new CommandFailedException(
                $"Cannot reach the gateway at {BaseAddress} ({exception.Message}). Is ./run.sh running? Otherwise name the gateway with --url or TRIBUTARY_URL.",
                exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"The gateway at {BaseAddress} did not answer {method} {path} within {RequestTimeout.TotalSeconds:0} s.", exception);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw CommandFailedException.From(method, path, response.StatusCode, response.ReasonPhrase, text);
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
    }
}
