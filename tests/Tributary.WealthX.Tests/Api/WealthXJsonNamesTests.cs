using System.Text.Json;
using System.Text.Json.Nodes;
using Tributary.Api.WealthX;
using Tributary.Storage.Dossiers;
using Xunit;

namespace Tributary.WealthX.Tests.Api;

/// <summary>The documents keep the old script's snake_case names under the gateway's (camelCase) JSON defaults.</summary>
public sealed class WealthXJsonNamesTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_status_document_uses_the_progress_json_names()
    {
        var settings = new WealthXPullSettings(500, 14_000, TimeSpan.FromSeconds(1), "0 8,14,20 * * *", "UTC");
        var progress = new WealthXPullProgress(
            "default", 1, null, 0, false, null, null, null, 1, null, 0, 0, null, null, null, null, null, settings);
        var status = WealthXProgressView.Build(progress, 0, null, null, null, "postgresql", new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero));

        var json = JsonNode.Parse(JsonSerializer.Serialize(status, Web))!.AsObject();

        Assert.Equal(
            [
                "feed", "last_processed_index", "total_records", "records_processed", "session_id", "session_start", "completion_percentage",
                "estimated_remaining_days", "current_index", "total_dossiers", "records_in_store", "records_in_store_counted_at", "complete",
                "completed_at", "mode", "incremental_since", "incremental_next_index", "sessions_completed", "sessions_remaining",
                "estimated_completion", "current_session", "last_session", "last_error", "last_error_at", "last_updated", "schedule",
                "settings", "store",
            ],
            json.Select(p => p.Key));
        Assert.Equal(["api_batch_size", "session_size", "min_call_interval_seconds"], json["settings"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void A_dossier_document_is_a_json_object_not_a_string()
    {
        const string Raw = """{"ID":42,"fullName":"Jane Doe","netWorth":250000000}""";
        var at = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
        var stored = new StoredDossier(DossierDocument.FromJson(Raw), at, at, at.AddHours(1), DossierContentHash.Compute(Raw));

        var json = JsonNode.Parse(JsonSerializer.Serialize(DossierView.From(stored), Web))!.AsObject();

        Assert.Equal(["id", "document", "created_at", "updated_at", "last_seen_at", "content_hash"], json.Select(p => p.Key));
        Assert.Equal(42, json["id"]!.GetValue<long>());
        Assert.Equal("Jane Doe", json["document"]!["fullName"]!.GetValue<string>());
        Assert.Equal(250_000_000, json["document"]!["netWorth"]!.GetValue<long>());
    }
}
