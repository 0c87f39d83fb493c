using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Tributary.Connectors.TrueLayer;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <inheritdoc cref="ITrueLayerAuthGrain"/>
/// <remarks>
/// The <c>state</c> is 32 random bytes; only its SHA-256 is stored, so the table holds nothing that could be replayed.
/// Consuming it is one atomic update, so two callbacks with one state link at most one connection.
/// </remarks>
[StatelessWorker]
[GrainType("truelayer-auth")]
public sealed class TrueLayerAuthGrain(TrueLayerAuthClient auth, TrueLayerStore store, IGrainFactory grains, IOptions<TrueLayerImportOptions> options, TimeProvider time)
    : Grain, ITrueLayerAuthGrain
{
    public async Task<ConnectLink> BeginConnect(string owner)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var state = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var expires = now + options.Value.ConnectLinkLifetime;
        await store.CreateAuthStateAsync(Hash(state), owner, now, expires, CancellationToken.None);
        return new ConnectLink(auth.AuthorizationUrl(state), expires);
    }

    public async Task<ConnectionLinkResult> CompleteConnect(string code, string state)
    {
        var use = await store.ConsumeAuthStateAsync(Hash(state ?? string.Empty), time.GetUtcNow(), CancellationToken.None);
        if (use.Owner is not { } owner)
        {
            var why = use.Problem switch
            {
                AuthStateProblem.AlreadyUsed => "This link was used already: each GET /api/truelayer/connect link connects one bank once.",
                AuthStateProblem.Expired => "This link expired: get a new one with GET /api/truelayer/connect and finish the bank's dialog sooner.",
                _ => "The state does not belong to a link of this gateway: start from GET /api/truelayer/connect.",
            };
            return new ConnectionLinkResult(string.Empty, 0, why, 400);
        }

        var connectionId = TrueLayerNames.NewConnectionId();
        return await grains.GetGrain<IConnectionGrain>(connectionId).Link(new ConnectionLink(owner, code, null));
    }

    private static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
