using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Assets: <c>asset_id, symbol, name, asset_class, currency</c>, all required. Ids and symbols are unique: a symbol
/// already used by another asset is refused, and an id already stored must come with the stored values.
/// </summary>
internal sealed class AssetImport : ImportSpec<Asset?, AssetImport.StoredAssets, Asset>
{
    public static AssetImport Instance { get; } = new();

    public override string What => "assets";

    public override ImportColumns Columns { get; } = new(
        ["asset_id", "symbol", "name", "asset_class", "currency"],
        ["asset_id", "symbol", "name", "asset_class", "currency"]);

    public override string Table => "fintrack.assets";

    public override string TableColumns => "asset_id, symbol, name, asset_class, currency";

    public override Asset? Read(RowCheck check, ImportKeys keys)
    {
        var id = check.Text("asset_id");
        var symbol = check.Text("symbol");
        var name = check.Text("name");
        var assetClass = check.Text("asset_class");
        var currency = check.Currency("currency", required: true);
        keys.RefuseRepeatedId(check, "asset_id", "asset", id);
        keys.RefuseRepeat(check, "symbol", symbol, where => $"Duplicate: symbol {symbol} already appears at {where}; symbols are unique.");
        return check.Failed ? null : new Asset(id!, symbol!, name!, assetClass!, currency!);
    }

    public override async Task<StoredAssets> ReadStoredAsync(NpgsqlConnection connection, IReadOnlyList<Asset?> drafts, CancellationToken cancellationToken)
    {
        var candidates = drafts.OfType<Asset>().ToList();
        var stored = new StoredAssets();
        await using var command = new NpgsqlCommand(
            "SELECT asset_id, symbol, name, asset_class, currency FROM fintrack.assets WHERE asset_id = ANY(@ids) OR symbol = ANY(@symbols)", connection);
        command.Parameters.AddWithValue("ids", candidates.Select(a => a.AssetId).ToArray());
        command.Parameters.AddWithValue("symbols", candidates.Select(a => a.Symbol).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var asset = new Asset(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
            stored.ById[asset.AssetId] = asset;
            stored.SymbolOwners[asset.Symbol] = asset.AssetId;
        }

        return stored;
    }

    public override void Check(RowCheck check, Asset? asset, StoredAssets stored, ImportRows<Asset> rows)
    {
        if (asset is null)
        {
            return;
        }

        if (stored.ById.TryGetValue(asset.AssetId, out var existing))
        {
            RefuseChanges(check, $"Asset {asset.AssetId}",
                ("symbol", existing.Symbol, asset.Symbol),
                ("name", existing.Name, asset.Name),
                ("asset_class", existing.AssetClass, asset.AssetClass),
                ("currency", existing.Currency, asset.Currency));
            if (!check.Failed)
            {
                rows.AddUnchanged();
            }
        }
        else if (stored.SymbolOwners.TryGetValue(asset.Symbol, out var owner))
        {
            check.Fail("symbol", $"Symbol {asset.Symbol} already belongs to asset {owner}: symbols are unique.");
        }
        else
        {
            rows.AddNew(asset);
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, Asset row) =>
        importer.WriteTexts(row.AssetId, row.Symbol, row.Name, row.AssetClass, row.Currency);

    /// <summary>The stored assets with the drafts' ids or symbols, and which asset owns each of those symbols.</summary>
    internal sealed class StoredAssets
    {
        public Dictionary<string, Asset> ById { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> SymbolOwners { get; } = new(StringComparer.Ordinal);
    }
}
