namespace Tributary.Simulators.TrueLayer;

/// <summary>Paths and simulated route names of the TrueLayer simulator (auth host and Data API v1).</summary>
/// <remarks>Both hosts share the simulators' port: a client's auth base URL is <see cref="AuthBasePath"/>, its data base URL <see cref="DataBasePath"/>.</remarks>
public static class TrueLayerRoutes
{
    /// <summary>Everything TrueLayer lives under this prefix; unknown paths below it get <see cref="NotFound"/>.</summary>
    public const string RootPath = "/truelayer";

    /// <summary>Stands in for <c>https://auth.truelayer.com/</c>: the dialog is <c>GET {AuthBasePath}/</c>.</summary>
    public const string AuthBasePath = "/truelayer/auth";

    /// <summary>Stands in for <c>https://api.truelayer.com/</c>.</summary>
    public const string DataBasePath = "/truelayer/api";

    /// <summary>The Data API v1 under the data host.</summary>
    public const string DataV1Path = "/truelayer/api/data/v1";

    /// <summary><c>GET {AuthBasePath}/?response_type=code&amp;client_id=..&amp;redirect_uri=..</c>: approves at once.</summary>
    public const string Dialog = "truelayer.dialog";

    /// <summary><c>POST {AuthBasePath}/connect/token</c>.</summary>
    public const string Token = "truelayer.token";

    /// <summary><c>GET {DataV1Path}/me</c>.</summary>
    public const string Me = "truelayer.me";

    /// <summary><c>GET {DataV1Path}/accounts</c> and <c>/cards</c>.</summary>
    public const string Accounts = "truelayer.accounts";

    /// <summary><c>GET {DataV1Path}/accounts/{id}</c>, <c>/accounts/{id}/balance</c> and the same under <c>/cards</c>.</summary>
    public const string Account = "truelayer.account";

    /// <summary><c>GET {DataV1Path}/accounts/{id}/transactions?from=&amp;to=</c> and the same under <c>/cards</c>.</summary>
    public const string Transactions = "truelayer.transactions";

    /// <summary><c>GET {DataV1Path}/accounts/{id}/transactions/pending</c> and the same under <c>/cards</c>.</summary>
    public const string Pending = "truelayer.pending";

    /// <summary>Any other path under <see cref="RootPath"/>: 501 <c>endpoint_not_supported</c>.</summary>
    public const string NotFound = "truelayer.notfound";

    /// <summary>The admin API of this simulator.</summary>
    public const string AdminPath = "/_admin/truelayer";

    /// <summary>How long an authorization code from the dialog can be exchanged.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A <c>/transactions</c> call reaching further back than this needs a fresh SCA (else <c>sca_exceeded</c>).</summary>
    public static readonly TimeSpan ScaFreeHistory = TimeSpan.FromDays(90);

    /// <summary>The window a <c>/transactions</c> call gets when it sends no <c>from</c>.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(90);

    /// <summary>The scopes a consent is granted when the dialog names none.</summary>
    public const string DefaultScope = "info accounts balance cards transactions offline_access";
}
