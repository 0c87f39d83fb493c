namespace Tributary.Vestr;

/// <summary>
/// One Vestr product's fees (key <see cref="VestrKeys.Product"/> of its ISIN): the product's fee cursor (the latest
/// booking date a sync brought), and its aggregates, refreshed for exactly the days a sync touched. The sync job fans out
/// to the grains of the products a batch read.
/// </summary>
[Alias("Tributary.Vestr.IVestrFeeGrain")]
public interface IVestrFeeGrain : IGrainWithStringKey
{
    /// <summary>A sync stored the product's fees of these days: refresh its daily, monthly and lifetime rows, then its snapshot.</summary>
    [Alias("Touched")]
    Task Touched(FeeTouch touch);

    /// <summary>Where the product's fees stand.</summary>
    [Alias("GetCursor")]
    Task<FeeCursor> GetCursor();
}

/// <summary>What one batch of a sync stored for one product.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Vestr.FeeTouch")]
public sealed record FeeTouch(
    [property: Id(0)] Guid SyncId,
    [property: Id(1)] IReadOnlyList<DateOnly> Days,
    [property: Id(2)] DateOnly LatestBookingDate);

/// <summary>A product's fee cursor.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Vestr.FeeCursor")]
public sealed record FeeCursor(
    [property: Id(0)] string Isin,
    [property: Id(1)] DateOnly? LatestBookingDate,
    [property: Id(2)] Guid? LastSyncId,
    [property: Id(3)] DateTimeOffset? RefreshedAt);

/// <summary>
/// One product's latest-fee snapshot (key <see cref="VestrKeys.Product"/>): the latest management, performance and
/// custody fee, the most recent fee of any type and the outstanding quantity, kept in its row of <c>fee_latest_snapshot</c>.
/// </summary>
[Alias("Tributary.Vestr.IProductSnapshotGrain")]
public interface IProductSnapshotGrain : IGrainWithStringKey
{
    /// <summary>Rebuilds the product's snapshot row from its fee records (idempotent).</summary>
    [Alias("Refresh")]
    Task Refresh();
}

/// <summary>Grain keys of Vestr products: never the raw ISIN (a key that looks like hex collides in AdoNet storage).</summary>
public static class VestrKeys
{
    public const string JobName = "vestr_fees";

    /// <summary>The sync run's parameter: <c>true</c> reads everything since <c>Vestr:FullSyncFrom</c>.</summary>
    public const string ForceFullParameter = "force_full";

    /// <summary>The sync run's parameter: how many days back an incremental sync reads.</summary>
    public const string DaysParameter = "days";

    public static string Product(string isin) => $"vestr:{isin}";

    public static string IsinOf(string key) => key.StartsWith("vestr:", StringComparison.Ordinal) ? key["vestr:".Length..] : key;
}
