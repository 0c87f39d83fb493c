namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// Every TrueLayer error body: <c>{"error":"account_not_found","error_description":"...","error_details":{}}</c>.
/// </summary>
public sealed record TrueLayerError(string Error, string ErrorDescription, IReadOnlyDictionary<string, string> ErrorDetails)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidClient = "invalid_client";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string UnsupportedResponseType = "unsupported_response_type";
    public const string InvalidToken = "invalid_token";
    public const string ValidationError = "validation_error";
    public const string InvalidDateRange = "invalid_date_range";
    public const string ScaExceeded = "sca_exceeded";
    public const string AccountNotFound = "account_not_found";
    public const string TooManyRequests = "provider_too_many_requests";
    public const string EndpointNotSupported = "endpoint_not_supported";
    public const string ProviderError = "provider_error";
    public const string ProviderTimeout = "provider_timeout";

    private static readonly IReadOnlyDictionary<string, string> NoDetails = new Dictionary<string, string>();

    public TrueLayerError(string error, string errorDescription)
        : this(error, errorDescription, NoDetails)
    {
    }
}
