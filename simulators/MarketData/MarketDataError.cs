namespace Tributary.Simulators.MarketData;

/// <summary>
/// Every error body of the feed: <c>{"error":"too_many_symbols","message":"Requested 101 symbols; at most 100 per call."}</c>.
/// </summary>
/// <remarks>An assumption, like the rest of the protocol: one stable shape a client can read for any status.</remarks>
public sealed record MarketDataError(string Error, string Message)
{
    public const string Unauthorized = "unauthorized";
    public const string MissingParameter = "missing_parameter";
    public const string InvalidParameter = "invalid_parameter";
    public const string TooManySymbols = "too_many_symbols";
    public const string RangeTooLarge = "range_too_large";
    public const string NotFound = "not_found";
    public const string RateLimited = "rate_limited";
    public const string Unavailable = "unavailable";
}
