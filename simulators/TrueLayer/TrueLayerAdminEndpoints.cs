using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Simulators.Admin;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// <c>/_admin/truelayer</c>: grant counts, consents made without the dialog, expiring a consent or its SCA window,
/// settling pending transactions, and a reset.
/// </summary>
public static class TrueLayerAdminEndpoints
{
    public static IEndpointRouteBuilder MapTrueLayerAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(TrueLayerRoutes.AdminPath);

        admin.MapGet("/", (TrueLayerConsentBook book) => TypedResults.Ok(book.Snapshot()));

        admin.MapPost("/consents", CreateConsent);

        admin.MapPost("/consents/{credentialsId}/expire", IResult (string credentialsId, TrueLayerConsentBook book) =>
        {
            if (book.FindConsent(credentialsId) is not { } consent)
            {
                return UnknownConsent(credentialsId);
            }

            consent.Expire();
            return TypedResults.Ok(ConsentState.Of(consent, book.Now));
        });

        admin.MapPost("/consents/{credentialsId}/sca-expired", IResult (string credentialsId, TrueLayerConsentBook book) =>
        {
            if (book.FindConsent(credentialsId) is not { } consent)
            {
                return UnknownConsent(credentialsId);
            }

            // The last authorisation moves to just outside the window, so the next old-history read is refused now.
            consent.LastAuthorisedAt = book.Now - TimeSpan.FromMinutes(book.Options.ScaWindowMinutes) - TimeSpan.FromSeconds(1);
            return TypedResults.Ok(ConsentState.Of(consent, book.Now));
        });

        admin.MapPost("/accounts/{accountId}/settle", IResult (string accountId, TrueLayerConsentBook book) =>
        {
            if (book.FindAccount(accountId) is not { } account)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    detail: $"No account or card has id '{accountId}'; POST {TrueLayerRoutes.AdminPath}/consents lists the ids of a new consent.");
            }

            var settled = account.Settle(book.Now) ? TransactionLedger.SettledFromPending(account) : [];
            return TypedResults.Json(new DataResults<TransactionResult>(settled), TrueLayerJsonContext.Default.DataResultsTransactionResult);
        });

        admin.MapPost("/reset", (TrueLayerConsentBook book) =>
        {
            book.Reset();
            return TypedResults.Ok(book.Snapshot());
        });

        return endpoints;
    }

    private static async Task<IResult> CreateConsent(HttpRequest request, TrueLayerConsentBook book, ILogger<TrueLayerConsentBook> logger)
    {
        var body = await AdminBody.ReadAsync<ConsentRequest>(request);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var defaults = ConsentShape.From(book.Options);
        var asked = body.Value ?? new ConsentRequest(null, null, null, null, null);
        var shape = new ConsentShape(
            asked.Accounts ?? defaults.Accounts,
            asked.Cards ?? defaults.Cards,
            asked.TransactionsPerAccount ?? defaults.TransactionsPerAccount,
            asked.PendingPerAccount ?? defaults.PendingPerAccount,
            asked.HistoryDays ?? defaults.HistoryDays);

        var errors = new Dictionary<string, string[]>();
        void Range(string field, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                errors[field] = [$"{field} must be {min}..{max}; was {value}."];
            }
        }

        Range("accounts", shape.Accounts, 0, TrueLayerOptions.MaxAccounts);
        Range("cards", shape.Cards, 0, TrueLayerOptions.MaxAccounts);
        Range("transactionsPerAccount", shape.TransactionsPerAccount, 0, TrueLayerOptions.MaxTransactionsPerAccount);
        Range("pendingPerAccount", shape.PendingPerAccount, 0, TrueLayerOptions.MaxPendingPerAccount);
        Range("historyDays", shape.HistoryDays, 1, TrueLayerOptions.MaxHistoryDays);
        if (errors.Count == 0 && shape.Accounts + shape.Cards == 0)
        {
            errors["accounts"] = ["accounts plus cards must be at least 1; both are 0."];
        }

        if (errors.Count > 0)
        {
            return AdminBody.Invalid(errors);
        }

        var consent = book.CreateConsent(shape, TrueLayerRoutes.DefaultScope);
        var tokens = book.IssueForAdmin(consent);
        SimulatorLog.TrueLayerConsentCreated(logger, consent.CredentialsId, consent.Accounts.Count);
        return TypedResults.Created(
            $"{TrueLayerRoutes.AdminPath}/consents/{consent.CredentialsId}",
            new ConsentCreated(
                consent.CredentialsId,
                tokens.RefreshToken,
                tokens.AccessToken,
                [.. consent.Accounts.Select(account => new ConsentAccountEntry(account.AccountId, ConsentAccountKinds.ToName(account.Kind)))],
                shape.TransactionsPerAccount,
                shape.PendingPerAccount,
                consent.CreatedAt,
                consent.ExpiresAt));
    }

    private static ProblemHttpResult UnknownConsent(string credentialsId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        detail: $"No consent has credentials_id '{credentialsId}'.");

    /// <summary>Body of <c>POST /_admin/truelayer/consents</c>; every field optional (the configured default).</summary>
    public sealed record ConsentRequest(int? Accounts, int? Cards, int? TransactionsPerAccount, int? PendingPerAccount, int? HistoryDays);

    /// <summary>Reply of <c>POST /_admin/truelayer/consents</c> (snake_case, like the tokens it carries).</summary>
    public sealed record ConsentCreated(
        [property: JsonPropertyName("credentials_id")] string CredentialsId,
        [property: JsonPropertyName("refresh_token")] string RefreshToken,
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("accounts")] IReadOnlyList<ConsentAccountEntry> Accounts,
        [property: JsonPropertyName("transactions_per_account")] int TransactionsPerAccount,
        [property: JsonPropertyName("pending_per_account")] int PendingPerAccount,
        [property: JsonPropertyName("consent_created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("consent_expires_at")] DateTimeOffset ExpiresAt);

    /// <summary>One account or card of a new consent.</summary>
    /// <param name="Kind"><c>account</c> or <c>card</c>.</param>
    public sealed record ConsentAccountEntry(
        [property: JsonPropertyName("account_id")] string AccountId,
        [property: JsonPropertyName("kind")] string Kind);

    /// <summary>A consent after an admin change.</summary>
    public sealed record ConsentState(
        [property: JsonPropertyName("credentials_id")] string CredentialsId,
        [property: JsonPropertyName("expired")] bool Expired,
        [property: JsonPropertyName("last_authorised_at")] DateTimeOffset LastAuthorisedAt)
    {
        public static ConsentState Of(TrueLayerConsent consent, DateTimeOffset now) =>
            new(consent.CredentialsId, consent.IsExpired(now), consent.LastAuthorisedAt);
    }
}
