namespace Tributary.Simulators.MarketData;

/// <summary>Paths, simulated route names and limits of the market-data feed simulator.</summary>
/// <remarks>
/// No public upstream is specified for FinTrack's market data, so the whole protocol is our assumption
/// (documented in simulators/README.md); a real feed's payloads would replace the types in this folder.
/// </remarks>
public static class MarketDataRoutes
{
    /// <summary>The API root: point a client's base URL at <c>http://host:port/marketdata/v1/</c>.</summary>
    public const string BasePath = "/marketdata/v1";

    /// <summary>The request header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary><c>GET {BasePath}/quotes?symbols=A,B</c>: latest prices.</summary>
    public const string Quotes = "marketdata.quotes";

    /// <summary><c>GET {BasePath}/indices?symbols=A,B</c>: latest index levels.</summary>
    public const string Indices = "marketdata.indices";

    /// <summary><c>GET {BasePath}/history?symbols=A,B&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd</c>: daily closes.</summary>
    public const string History = "marketdata.history";

    /// <summary>Any other path under <see cref="BasePath"/>: a JSON 404.</summary>
    public const string NotFound = "marketdata.notfound";

    /// <summary>The most symbols one call may name.</summary>
    public const int MaxSymbolsPerCall = 100;

    /// <summary>The most calendar days (inclusive) one history call may span: about ten years.</summary>
    public const int MaxHistoryDays = 3660;
}
