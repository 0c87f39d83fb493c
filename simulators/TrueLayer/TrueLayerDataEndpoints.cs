using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// The Data API v1 under <see cref="TrueLayerRoutes.DataV1Path"/>, and the 501 for any other path under
/// <see cref="TrueLayerRoutes.RootPath"/>.
/// </summary>
public static class TrueLayerDataEndpoints
{
    /// <summary>The <c>{kind}</c> segment: <c>accounts</c> or <c>cards</c>.</summary>
    private const string Kind = "{kind:regex(^(accounts|cards)$)}";

    public static IEndpointRouteBuilder MapTrueLayerData(this IEndpointRouteBuilder endpoints)
    {
        // The bearer check is an endpoint filter, so it runs after the fault layer, as at a real gateway.
        var api = endpoints.MapGroup(TrueLayerRoutes.DataV1Path).AddEndpointFilter(RequireAccessToken);

        api.MapGet("/me", ReadMe)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Me, TrueLayerErrorWriter.Instance);

        api.MapGet($"/{Kind}", ReadAccounts)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Accounts, TrueLayerErrorWriter.Instance);

        api.MapGet($"/{Kind}/{{id}}/{{detail:regex(^balance$)?}}", ReadAccount)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Account, TrueLayerErrorWriter.Instance);

        api.MapGet($"/{Kind}/{{id}}/transactions", ReadTransactions)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Transactions, TrueLayerErrorWriter.Instance);

        api.MapGet($"/{Kind}/{{id}}/transactions/pending", ReadPending)
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.Pending, TrueLayerErrorWriter.Instance);

        endpoints.Map($"{TrueLayerRoutes.RootPath}/{{**rest}}", (HttpRequest request) => TrueLayerErrorWriter.Json(
                StatusCodes.Status501NotImplemented,
                TrueLayerError.EndpointNotSupported,
                $"{request.Method} {request.Path} is not supported; the Data API serves {TrueLayerRoutes.DataV1Path}/me, /accounts, /cards and their /{{id}}, /balance, /transactions and /transactions/pending."))
            .AsSimulatedRoute(endpoints, TrueLayerRoutes.NotFound, TrueLayerErrorWriter.Instance);

        return endpoints;
    }

    private static JsonHttpResult<DataResults<MeResult>> ReadMe(HttpContext context, TrueLayerConsentBook book)
    {
        var consent = ConsentOf(context);
        return Results([new MeResult(book.Options.ClientId, consent.CredentialsId, "Authorised", consent.CreatedAt, consent.ExpiresAt, ProviderInfo.MockBank)]);
    }

    private static IResult ReadAccounts(string kind, HttpContext context, TrueLayerConsentBook book)
    {
        var consent = ConsentOf(context);
        var wanted = ConsentAccountKinds.FromSegment(kind)!.Value;
        var accounts = consent.Accounts.Where(account => account.Kind == wanted).ToList();
        return wanted == ConsentAccountKind.Card
            ? Results([.. accounts.Select(account => TrueLayerAccountViews.Card(account, book.Now))])
            : Results([.. accounts.Select(account => TrueLayerAccountViews.Account(account, book.Now))]);
    }

    private static IResult ReadAccount(string kind, string id, string? detail, HttpContext context, TrueLayerConsentBook book)
    {
        if (Find(context, kind, id) is not { } account)
        {
            return NotFound(kind, id);
        }

        if (detail is not null)
        {
            return Results([TransactionLedger.Balance(account, book.Now)]);
        }

        return account.Kind == ConsentAccountKind.Card
            ? Results([TrueLayerAccountViews.Card(account, book.Now)])
            : Results([TrueLayerAccountViews.Account(account, book.Now)]);
    }

    private static IResult ReadTransactions(string kind, string id, HttpContext context, TrueLayerConsentBook book)
    {
        if (Find(context, kind, id) is not { } account)
        {
            return NotFound(kind, id);
        }

        var now = book.Now;
        var (query, error) = TransactionsQuery.Parse(context.Request.Query, now);
        if (query is null)
        {
            return TrueLayerErrorWriter.Json(StatusCodes.Status400BadRequest, error!);
        }

        var scaWindow = TimeSpan.FromMinutes(book.Options.ScaWindowMinutes);
        if (query.From < now - TrueLayerRoutes.ScaFreeHistory && now - account.Consent.LastAuthorisedAt > scaWindow)
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status403Forbidden,
                TrueLayerError.ScaExceeded,
                $"Transactions older than 90 days can only be read within {book.Options.ScaWindowMinutes} minutes of the user's last authorisation; ask for from on or after {now - TrueLayerRoutes.ScaFreeHistory:O}, or have the user re-authenticate.");
        }

        return Results(TransactionLedger.Settled(account, query.From, query.To));
    }

    private static IResult ReadPending(string kind, string id, HttpContext context) =>
        Find(context, kind, id) is { } account ? Results(TransactionLedger.Pending(account)) : NotFound(kind, id);

    private static ConsentAccount? Find(HttpContext context, string kind, string id) =>
        ConsentOf(context).Find(id, ConsentAccountKinds.FromSegment(kind)!.Value);

    private static IResult NotFound(string kind, string id) => TrueLayerErrorWriter.Json(
        StatusCodes.Status404NotFound,
        TrueLayerError.AccountNotFound,
        $"No {(kind == "cards" ? "card" : "account")} with id '{id}' belongs to this token's consent; list them with GET {TrueLayerRoutes.DataV1Path}/{kind}.");

    private static TrueLayerConsent ConsentOf(HttpContext context) => (TrueLayerConsent)context.Items[typeof(TrueLayerConsent)]!;

    private static JsonHttpResult<DataResults<MeResult>> Results(IReadOnlyList<MeResult> results) =>
        TypedResults.Json(new DataResults<MeResult>(results), TrueLayerJsonContext.Default.DataResultsMeResult);

    private static JsonHttpResult<DataResults<AccountResult>> Results(IReadOnlyList<AccountResult> results) =>
        TypedResults.Json(new DataResults<AccountResult>(results), TrueLayerJsonContext.Default.DataResultsAccountResult);

    private static JsonHttpResult<DataResults<CardResult>> Results(IReadOnlyList<CardResult> results) =>
        TypedResults.Json(new DataResults<CardResult>(results), TrueLayerJsonContext.Default.DataResultsCardResult);

    private static JsonHttpResult<DataResults<BalanceResult>> Results(IReadOnlyList<BalanceResult> results) =>
        TypedResults.Json(new DataResults<BalanceResult>(results), TrueLayerJsonContext.Default.DataResultsBalanceResult);

    private static JsonHttpResult<DataResults<TransactionResult>> Results(IReadOnlyList<TransactionResult> results) =>
        TypedResults.Json(new DataResults<TransactionResult>(results), TrueLayerJsonContext.Default.DataResultsTransactionResult);

    private static async ValueTask<object?> RequireAccessToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length == Bearer.Length)
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status401Unauthorized,
                TrueLayerError.InvalidToken,
                "Send an access token from /connect/token in the Authorization header: 'Authorization: Bearer <token>'.");
        }

        var consent = http.RequestServices.GetRequiredService<TrueLayerConsentBook>().Authenticate(header[Bearer.Length..].Trim());
        if (consent is null)
        {
            return TrueLayerErrorWriter.Json(
                StatusCodes.Status401Unauthorized,
                TrueLayerError.InvalidToken,
                "The access token is unknown or expired; get a new one with grant_type=refresh_token.");
        }

        http.Items[typeof(TrueLayerConsent)] = consent;
        return await next(context);
    }
}
