namespace Tributary.Simulators.TrueLayer;

/// <summary>A token grant's reply, or the 400 <c>invalid_grant</c> to send instead.</summary>
public sealed record TokenOutcome(TokenReply? Reply, TrueLayerError? Error)
{
    public static TokenOutcome Refused(string description) => new(null, new TrueLayerError(TrueLayerError.InvalidGrant, description));
}
