using System.Net.Http.Headers;
using GraphQL;
using GraphQL.Transport;
using Tributary.Simulators.Keycloak;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// <c>POST /vestr/graphql</c>: the rate-limit knob, then the bearer check against the Keycloak realm's access
/// tokens, then the query run by GraphQL.NET on <see cref="FeeDeductionsSchema"/>.
/// </summary>
public static class VestrGraphQLEndpoints
{
    public static IEndpointRouteBuilder MapVestrGraphQL(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(VestrRoutes.GraphQLPath, ExecuteAsync)
            .AsSimulatedRoute(endpoints, VestrRoutes.GraphQL, VestrErrorWriter.Instance);
        return endpoints;
    }

    private static async Task ExecuteAsync(
        HttpContext context,
        FeeLedger ledger,
        KeycloakRealm realm,
        FeeDeductionsSchema schema,
        IDocumentExecuter executer,
        IGraphQLTextSerializer serializer)
    {
        if (ledger.TakeRateLimited() is { } retryAfter)
        {
            await VestrErrorWriter.Json(VestrErrorWriter.RateLimited(retryAfter)).ExecuteAsync(context);
            return;
        }

        if (!realm.IsAccessTokenActive(BearerToken(context.Request)))
        {
            await VestrErrorWriter.Json(GraphQLErrorBody.Of(
                "Not authenticated: send Authorization: Bearer <access_token> from the vestr realm; the token is missing, unknown or expired.",
                VestrRoutes.Unauthenticated)).ExecuteAsync(context);
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = await serializer.ReadAsync<GraphQLRequest>(context.Request.Body, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException exception)
        {
            await VestrErrorWriter.Json(
                GraphQLErrorBody.Of($"The body is not a GraphQL request ({{\"query\",\"variables\"}}): {exception.Message}", VestrRoutes.BadUserInput),
                StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            await VestrErrorWriter.Json(
                GraphQLErrorBody.Of("The body must be a JSON object with a non-empty \"query\".", VestrRoutes.BadUserInput),
                StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }

        var result = await executer.ExecuteAsync(options =>
        {
            options.Schema = schema;
            options.Query = request.Query;
            options.Variables = request.Variables;
            options.OperationName = request.OperationName;
            options.RequestServices = context.RequestServices;
            options.CancellationToken = context.RequestAborted;
        });

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }

    private static string? BearerToken(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
        && string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;
}
