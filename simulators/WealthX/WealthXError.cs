namespace Tributary.Simulators.WealthX;

/// <summary>
/// The body of a WealthX 400: <c>{"error":"range_too_large","message":"Requested 501 records ...; at most 500 per call."}</c>.
/// </summary>
/// <remarks>No public source shows the upstream's 400 body; this shape is our stable assumption.</remarks>
public sealed record WealthXError(string Error, string Message)
{
    public const string MissingParameter = "missing_parameter";
    public const string InvalidParameter = "invalid_parameter";
    public const string RangeTooLarge = "range_too_large";
}
