using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.MarketData;

/// <summary>
/// Typed client of the market-data feed: latest quotes, latest index levels and daily history for any number of
/// symbols, split into calls the feed accepts. Register it with
/// <see cref="MarketDataServiceCollectionExtensions.AddMarketDataClient"/>.
/// </summary>
/// <remarks>
/// <para>
/// This client makes exactly one attempt per HTTP call, bounded by <see cref="MarketDataOptions.Timeout"/>, and
/// never retries. Retries with backoff, Retry-After pauses and circuit breaking belong to the job runtime, per
/// batch: retrying here as well would multiply attempts (3 x 3 = 9 calls against a rate-limited feed) and hide
/// 429s from the cluster-wide rate limiter. For the same reason, do not add a resilience handler to this client.
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>): transient for 408, 429,
/// 5xx, timeouts, dropped connections and malformed replies; permanent for other 4xx. Caller cancellation is an
/// <see cref="OperationCanceledException"/>, as usual. A list split into several calls fails as a whole on the
/// first failing call, so a retried batch starts over.
/// </para>
/// </remarks>
public sealed class MarketDataClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures.</summary>
    public const string Upstream = "marketdata";

    private const string ApiKeyHeader = "X-Api-Key";

    private readonly MarketDataOptions _options;
    private readonly UpstreamCall _upstream;

    /// <summary>Made by the HTTP client factory; see <see cref="MarketDataServiceCollectionExtensions.AddMarketDataClient"/>.</summary>
    /// <exception cref="OptionsValidationException">A <c>MarketData</c> setting is invalid.</exception>
    public MarketDataClient(HttpClient http, IOptions<MarketDataOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        var baseUrl = _options.BaseUrl ?? string.Empty;
        _upstream = new UpstreamCall(http, time, new UpstreamProfile(
            Upstream,
            "the market-data feed",
            "the feed",
            MarketDataOptions.Section,
            new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute),
            _options.Timeout,
            [_options.ApiKey],
            Advice,
            "The request itself is wrong (symbols or date range); fix it, retrying will not help.",
            Malformed));
    }

    /// <summary>The latest price of each symbol, in calls of at most <see cref="MarketDataOptions.MaxSymbolsPerCall"/> symbols.</summary>
    /// <param name="symbols">Symbols as the feed knows them; duplicates are asked for once.</param>
    /// <exception cref="ArgumentException">A symbol is empty or contains a comma.</exception>
    /// <exception cref="UpstreamException">A call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<MarketDataResult<Quote>> GetQuotesAsync(IReadOnlyList<string> symbols, CancellationToken cancellationToken)
    {
        var found = new List<Quote>();
        var unknown = new UnknownSymbols();
        foreach (var chunk in Chunk(symbols))
        {
            var reply = await GetAsync("quotes", $"quotes?symbols={Join(chunk)}", MarketDataWireContext.Default.QuotesWire, cancellationToken);
            found.AddRange(reply.Quotes.Select(quote => new Quote(quote.Symbol, quote.Price, quote.Currency, quote.AsOf)));
            unknown.AddRange(reply.Unknown);
        }

        return new MarketDataResult<Quote>(found, unknown.InOrder);
    }

    /// <summary>The latest level of each index, in calls of at most <see cref="MarketDataOptions.MaxSymbolsPerCall"/> symbols.</summary>
    /// <param name="symbols">Index symbols as the feed knows them; duplicates are asked for once.</param>
    /// <exception cref="ArgumentException">A symbol is empty or contains a comma.</exception>
    /// <exception cref="UpstreamException">A call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<MarketDataResult<IndexLevel>> GetIndexLevelsAsync(IReadOnlyList<string> symbols, CancellationToken cancellationToken)
    {
        var found = new List<IndexLevel>();
        var unknown = new UnknownSymbols();
        foreach (var chunk in Chunk(symbols))
        {
            var reply = await GetAsync("indices", $"indices?symbols={Join(chunk)}", MarketDataWireContext.Default.IndicesWire, cancellationToken);
            found.AddRange(reply.Indices.Select(index => new IndexLevel(index.Symbol, index.Level, index.AsOf)));
            unknown.AddRange(reply.Unknown);
        }

        return new MarketDataResult<IndexLevel>(found, unknown.InOrder);
    }

    /// <summary>
    /// The daily closes of each symbol from <paramref name="from"/> to <paramref name="to"/> (inclusive, business
    /// days only), in calls of at most <see cref="MarketDataOptions.MaxSymbolsPerCall"/> symbols and
    /// <see cref="MarketDataOptions.MaxDaysPerCall"/> days, merged per symbol.
    /// </summary>
    /// <exception cref="ArgumentException">A symbol is empty or contains a comma, or <paramref name="from"/> is after <paramref name="to"/>.</exception>
    /// <exception cref="UpstreamException">A call failed; see <see cref="UpstreamException.IsTransient"/>.</exception>
    public async Task<MarketDataResult<PriceHistory>> GetHistoryAsync(
        IReadOnlyList<string> symbols, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            throw new ArgumentException($"from ({Format(from)}) must not be after to ({Format(to)}).", nameof(from));
        }

        var days = new Dictionary<string, List<DailyClose>>(StringComparer.Ordinal);
        var order = new List<string>();
        var unknown = new UnknownSymbols();
        foreach (var chunk in Chunk(symbols))
        {
            foreach (var (windowFrom, windowTo) in Windows(from, to))
            {
                var reply = await GetAsync(
                    "history",
                    $"history?symbols={Join(chunk)}&from={Format(windowFrom)}&to={Format(windowTo)}",
                    MarketDataWireContext.Default.HistoryWire,
                    cancellationToken);
                foreach (var series in reply.History)
                {
                    if (!days.TryGetValue(series.Symbol, out var closes))
                    {
                        days[series.Symbol] = closes = [];
                        order.Add(series.Symbol);
                    }

                    closes.AddRange(series.Days.Select(day => new DailyClose(day.Date, day.Close)));
                }

                unknown.AddRange(reply.Unknown);
            }
        }

        return new MarketDataResult<PriceHistory>([.. order.Select(symbol => new PriceHistory(symbol, days[symbol]))], unknown.InOrder);
    }

    /// <summary>The distinct symbols in request order, in lists of at most <see cref="MarketDataOptions.MaxSymbolsPerCall"/>.</summary>
    private IEnumerable<string[]> Chunk(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        for (var i = 0; i < symbols.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(symbols[i]))
            {
                throw new ArgumentException($"symbols[{i}] is empty; pass only the symbols to look up.", nameof(symbols));
            }

            if (symbols[i].Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"symbols[{i}] ('{symbols[i]}') contains a comma, which the feed reads as a separator.", nameof(symbols));
            }
        }

        return symbols.Distinct(StringComparer.Ordinal).Chunk(_options.MaxSymbolsPerCall);
    }

    private IEnumerable<(DateOnly From, DateOnly To)> Windows(DateOnly from, DateOnly to)
    {
        for (var start = from; ; start = start.AddDays(_options.MaxDaysPerCall))
        {
            var remaining = to.DayNumber - start.DayNumber + 1;
            if (remaining <= _options.MaxDaysPerCall)
            {
                yield return (start, to);
                yield break;
            }

            yield return (start, start.AddDays(_options.MaxDaysPerCall - 1));
        }
    }

    /// <summary>One attempt at one call (<see cref="UpstreamCall"/>), with every failure turned into an <see cref="UpstreamException"/>.</summary>
    private Task<T> GetAsync<T>(string route, string pathAndQuery, JsonTypeInfo<T> reply, CancellationToken cancellationToken) =>
        _upstream.GetAsync(
            route,
            pathAndQuery,
            headers =>
            {
                headers.TryAddWithoutValidation(ApiKeyHeader, _options.ApiKey);
                headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            },
            async (content, token) => await content.ReadFromJsonAsync(reply, token) ?? throw Malformed(route, "the body is JSON null", inner: null),
            cancellationToken);

    private static UpstreamException Malformed(string route, string why, Exception? inner) => new(
        Upstream,
        $"The market-data feed answered GET {route} with a body that is not the expected JSON ({why}). "
        + "This is usually a truncated reply: retry later; if it persists, the feed's format has changed and this client needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    /// <summary>The advice for the refusals this feed explains itself; the rest is <see cref="UpstreamCall"/>'s.</summary>
    private static string? Advice(int status) => status switch
    {
        401 or 403 => $"The feed refused the API key. Set {MarketDataOptions.Section}:ApiKey to a key the feed accepts; retrying will not help.",
        404 => $"Check that {MarketDataOptions.Section}:BaseUrl is the feed's API root (such as http://127.0.0.1:5090/marketdata/v1/); retrying will not help.",
        _ => null,
    };

    private static string Join(IEnumerable<string> symbols) => string.Join(',', symbols.Select(Uri.EscapeDataString));

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Unknown symbols of several calls, each once, in the order first reported.</summary>
    private sealed class UnknownSymbols
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<string> InOrder { get; } = [];

        public void AddRange(IReadOnlyList<string>? symbols)
        {
            foreach (var symbol in symbols ?? [])
            {
                if (_seen.Add(symbol))
                {
                    InOrder.Add(symbol);
                }
            }
        }
    }
}
