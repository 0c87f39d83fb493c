using System.Text.Json;

using Xunit;

namespace Tributary.Testing;

/// <summary>One Server-Sent Event as a test reads it.</summary>
public sealed record SseEvent(long Id, string Type, JsonElement Data);

/// <summary>Reads a live SSE response line by line.</summary>
public sealed class SseReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, string path, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The server's first comment says the subscription is live: events after this are not missed.
        Assert.Equal(": connected", await reader.ReadLineAsync());
        return new SseReader(response, reader);
    }

    /// <summary>Reads exactly <paramref name="count"/> events.</summary>
    public async Task<IReadOnlyList<SseEvent>> ReadUntilCountAsync(int count, TimeSpan? timeout = null)
    {
        var seen = 0;
        return await ReadUntilAsync(_ => ++seen == count, timeout);
    }

    /// <summary>Reads events until one matches <paramref name="last"/>, failing after a deadline with what it got.</summary>
    public async Task<IReadOnlyList<SseEvent>> ReadUntilAsync(Func<SseEvent, bool> last, TimeSpan? timeout = null)
    {
        var events = new List<SseEvent>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        long? id = null;
        string? type = null;
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("The stream ended.");
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    type = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    var received = new SseEvent(id!.Value, type!, JsonDocument.Parse(line[6..]).RootElement.Clone());
                    events.Add(received);
                    if (last(received))
                    {
                        return events;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The awaited event never came; got: {string.Join(", ", events.Select(e => $"{e.Id}:{e.Type}"))}");
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
