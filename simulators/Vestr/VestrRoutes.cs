namespace Tributary.Simulators.Vestr;

/// <summary>Paths and simulated route names of the Vestr simulator.</summary>
public static class VestrRoutes
{
    /// <summary>Stands in for Vestr's <c>POST /graphql</c>.</summary>
    public const string GraphQLPath = "/vestr/graphql";

    /// <summary><c>POST {GraphQLPath}</c>.</summary>
    public const string GraphQL = "vestr.graphql";

    /// <summary>The admin API of this simulator.</summary>
    public const string AdminPath = "/_admin/vestr";

    /// <summary>The page size when a query sends no <c>first</c>, and the largest allowed.</summary>
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    /// <summary>Late corrections pick among deductions booked in this many days up to today.</summary>
    public const int CorrectionWindowDays = 30;

    /// <summary>GraphQL error codes (<c>errors[].extensions.code</c>).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string RateLimited = "RATE_LIMITED";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
