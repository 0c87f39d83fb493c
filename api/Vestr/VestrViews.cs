using System.Text.Json.Serialization;
using Tributary.Storage.Vestr;

namespace Tributary.Api.Vestr;

/// <summary>Body of <c>POST /api/vestr/sync</c>.</summary>
/// <param name="ForceFull">Everything since <c>Vestr:FullSyncFrom</c> instead of the last <paramref name="Days"/>.</param>
/// <param name="Days">How many days back an incremental sync reads (1..3650); default <c>Vestr:IncrementalDays</c>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VestrSyncBody(
    [property: JsonPropertyName("force_full")] bool? ForceFull = null,
    [property: JsonPropertyName("days")] int? Days = null);

public sealed record VestrSyncStarted(
    [property: JsonPropertyName("run_id")] Guid RunId,
    [property: JsonPropertyName("started")] bool Started,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_url")] string StatusUrl);

public sealed record FeeView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("booking_date")] DateOnly BookingDate,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("fee_type")] string FeeType,
    [property: JsonPropertyName("product_isin")] string ProductIsin,
    [property: JsonPropertyName("product_name")] string? ProductName,
    [property: JsonPropertyName("outstanding_quantity")] decimal? OutstandingQuantity,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static FeeView From(FeeRecord r) => new(r.Id, r.BookingDate, r.Amount, r.Currency, r.FeeType, r.ProductIsin, r.ProductName, r.OutstandingQuantity, r.UpdatedAt);
}

public sealed record FeePageView(
    [property: JsonPropertyName("items")] IReadOnlyList<FeeView> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

public sealed record FeeSummaryView(
    [property: JsonPropertyName("period")] DateOnly Period,
    [property: JsonPropertyName("product_isin")] string ProductIsin,
    [property: JsonPropertyName("fee_type")] string FeeType,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("total_amount")] decimal TotalAmount,
    [property: JsonPropertyName("record_count")] int RecordCount)
{
    public static FeeSummaryView From(FeeSummary s) => new(s.Period, s.ProductIsin, s.FeeType, s.Currency, s.TotalAmount, s.RecordCount);
}

public sealed record ProductTotalView(
    [property: JsonPropertyName("product_isin")] string ProductIsin,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("product_name")] string? ProductName,
    [property: JsonPropertyName("total_amount")] decimal TotalAmount,
    [property: JsonPropertyName("management_total")] decimal ManagementTotal,
    [property: JsonPropertyName("performance_total")] decimal PerformanceTotal,
    [property: JsonPropertyName("custody_total")] decimal CustodyTotal,
    [property: JsonPropertyName("record_count")] int RecordCount,
    [property: JsonPropertyName("first_booking_date")] DateOnly FirstBookingDate,
    [property: JsonPropertyName("last_booking_date")] DateOnly LastBookingDate)
{
    public static ProductTotalView From(ProductTotal t) => new(t.ProductIsin, t.Currency, t.ProductName, t.TotalAmount, t.ManagementTotal, t.PerformanceTotal,
        t.CustodyTotal, t.RecordCount, t.FirstBookingDate, t.LastBookingDate);
}

public sealed record LatestFeeView(
    [property: JsonPropertyName("booking_date")] DateOnly BookingDate,
    [property: JsonPropertyName("amount")] decimal Amount,
    [property: JsonPropertyName("currency")] string Currency)
{
    public static LatestFeeView? From(LatestFee? fee) => fee is null ? null : new(fee.BookingDate, fee.Amount, fee.Currency);
}

public sealed record FeeSnapshotView(
    [property: JsonPropertyName("product_isin")] string ProductIsin,
    [property: JsonPropertyName("product_name")] string? ProductName,
    [property: JsonPropertyName("management")] LatestFeeView? Management,
    [property: JsonPropertyName("performance")] LatestFeeView? Performance,
    [property: JsonPropertyName("custody")] LatestFeeView? Custody,
    [property: JsonPropertyName("latest")] LatestFeeView Latest,
    [property: JsonPropertyName("latest_type")] string LatestType,
    [property: JsonPropertyName("outstanding_quantity")] decimal? OutstandingQuantity,
    [property: JsonPropertyName("outstanding_quantity_date")] DateOnly? OutstandingQuantityDate,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static FeeSnapshotView From(FeeSnapshot s) => new(s.ProductIsin, s.ProductName, LatestFeeView.From(s.Management), LatestFeeView.From(s.Performance),
        LatestFeeView.From(s.Custody), LatestFeeView.From(s.Latest)!, s.LatestType, s.OutstandingQuantity, s.OutstandingQuantityDate, s.UpdatedAt);
}

public sealed record FeeSyncView(
    [property: JsonPropertyName("sync_id")] Guid SyncId,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("from")] DateOnly FromDate,
    [property: JsonPropertyName("to")] DateOnly ToDate,
    [property: JsonPropertyName("force_full")] bool ForceFull,
    [property: JsonPropertyName("records")] int Records,
    [property: JsonPropertyName("inserted")] int Inserted,
    [property: JsonPropertyName("updated")] int Updated,
    [property: JsonPropertyName("unchanged")] int Unchanged,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("error")] string? Error)
{
    public static FeeSyncView From(FeeSyncStatus s) => new(s.SyncId, s.StartedAt, s.FinishedAt, s.From, s.To, s.ForceFull, s.Records, s.Inserted, s.Updated,
        s.Unchanged, s.Outcome, s.Error);
}
