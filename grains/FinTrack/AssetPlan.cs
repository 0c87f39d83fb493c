using Tributary.Jobs;
using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack;

/// <summary>The assets a FinTrack run works on: every asset, or those an account has transactions in.</summary>
internal static class AssetPlan
{
    public static Task<IReadOnlyList<string>> ForAsync(MarketDataStore store, JobPlanContext context, CancellationToken cancellationToken) =>
        context.Request.AccountId is { } account
            ? store.ListAssetsTouchedByAccountAsync(account, cancellationToken)
            : store.ListAssetIdsAsync(cancellationToken);
}
