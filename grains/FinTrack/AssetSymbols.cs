using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>Maps a batch's asset ids to the symbols the feed knows them by.</summary>
internal static class AssetSymbols
{
    /// <summary>Symbol to asset id, for the assets of the batch that still exist.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ForAsync(MarketDataStore store, IReadOnlyList<string> assetIds, CancellationToken cancellationToken)
    {
        var wanted = assetIds.ToHashSet(StringComparer.Ordinal);
        return (await store.ListAssetsAsync(cancellationToken))
            .Where(a => wanted.Contains(a.AssetId))
            .ToDictionary(a => a.Symbol, a => a.AssetId, StringComparer.Ordinal);
    }
}
