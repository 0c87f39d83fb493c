using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.MarketData;

/// <summary>The market-data feed under <see cref="MarketDataRoutes.BasePath"/>: quotes, index levels and daily history.</summary>
public static class MarketDataEndpoints
{
    public static IEndpointRouteBuilder MapMarketData(this IEndpointRouteBuilder endpoints)
    {
        // Authentication is an endpoint filter, so it runs after the fault layer (a 429 can hit an unauthenticated
        // call, as at a real gateway) and every route of the group is covered, the 404 included.
        var api = endpoints.MapGroup(MarketDataRoutes.BasePath).AddEndpointFilter(RequireApiKey);

        api.MapGet("/quotes", ReadQuotes)
            .AsSimulatedRoute(endpoints, MarketDataRoutes.Quotes, MarketDataErrorWriter.Instance);

        api.MapGet("/indices", ReadIndices)
            .AsSimulatedRoute(endpoints, MarketDataRoutes.Indices, MarketDataErrorWriter.Instance);

        api.MapGet("/history", ReadHistory)
            .AsSimulatedRoute(endpoints, MarketDataRoutes.History, MarketDataErrorWriter.Instance);

        api.Map("/{**rest}", (HttpRequest request) => MarketDataErrorWriter.Json(
                StatusCodes.Status404NotFound,
                new MarketDataError(MarketDataError.NotFound, $"No route {request.Path}; the feed serves {MarketDataRoutes.BasePath}/quotes, /indices and /history.")))
            .AsSimulatedRoute(endpoints, MarketDataRoutes.NotFound, MarketDataErrorWriter.Instance);

        return endpoints;
    }

    private static IResult ReadQuotes(HttpRequest request, MarketDataFeed feed)
    {
        var (query, error) = SymbolsQuery.Parse(request.Query);
        return query is null
            ? BadRequest(error!)
            : TypedResults.Json(feed.Quotes(query.Symbols), MarketDataJsonContext.Default.QuotesReply);
    }

    private static IResult ReadIndices(HttpRequest request, MarketDataFeed feed)
    {
        var (query, error) = SymbolsQuery.Parse(request.Query);
        return query is null
            ? BadRequest(error!)
            : TypedResults.Json(feed.Indices(query.Symbols), MarketDataJsonContext.Default.IndicesReply);
    }

    private static IResult ReadHistory(HttpRequest request, MarketDataFeed feed)
    {
        var (query, error) = HistoryQuery.Parse(request.Query);
        return query is null
            ? BadRequest(error!)
            : TypedResults.Json(feed.History(query.Symbols, query.From, query.To), MarketDataJsonContext.Default.HistoryReply);
    }

    private static IResult BadRequest(MarketDataError error) => MarketDataErrorWriter.Json(StatusCodes.Status400BadRequest, error);

    private static async ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<MarketDataFeedOptions>>().Value.ApiKey;
        var sent = http.Request.Headers[MarketDataRoutes.ApiKeyHeader].ToString();
        if (sent.Length == 0)
        {
            return MarketDataErrorWriter.Json(
                StatusCodes.Status401Unauthorized,
                new MarketDataError(MarketDataError.Unauthorized, $"Send your API key in the {MarketDataRoutes.ApiKeyHeader} header."));
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected)))
        {
            return MarketDataErrorWriter.Json(
                StatusCodes.Status401Unauthorized,
                new MarketDataError(MarketDataError.Unauthorized, $"The API key in the {MarketDataRoutes.ApiKeyHeader} header is not valid for this feed."));
        }

        return await next(context);
    }
}
