namespace Tributary.TrueLayer;

/// <summary>
/// The two ends of TrueLayer's auth dialog (key 0; any silo answers): the link a user opens, bound to them by a
/// single-use, expiring <c>state</c>, and the callback that turns the code TrueLayer sends back into a connection.
/// </summary>
/// <remarks>The client id, secret and redirect URI live in the silos' configuration, so both ends run in a silo.</remarks>
[Alias("Tributary.TrueLayer.ITrueLayerAuthGrain")]
public interface ITrueLayerAuthGrain : IGrainWithIntegerKey
{
    /// <summary>A dialog link for <paramref name="owner"/>; its state is stored (hashed) until used or expired.</summary>
    [Alias("BeginConnect")]
    Task<ConnectLink> BeginConnect(string owner);

    /// <summary>Consumes the state (once) and links a new connection for its owner with the code.</summary>
    [Alias("CompleteConnect")]
    [ResponseTimeout("00:01:30")]
    Task<ConnectionLinkResult> CompleteConnect(string code, string state);
}

/// <summary>The dialog link and until when its state is accepted.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.TrueLayer.ConnectLink")]
public sealed record ConnectLink([property: Id(0)] Uri AuthUrl, [property: Id(1)] DateTimeOffset ExpiresAt);
