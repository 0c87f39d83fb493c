using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Transactions: <c>transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date</c>; a
/// CSV header must name at least <c>transaction_id, account_id, asset_id, type, trade_date</c>.
/// </summary>
/// <remarks>
/// <c>type</c> is <c>buy</c>, <c>sell</c>, <c>dividend</c> or <c>fee</c>. Buys and sells need a quantity above zero
/// and a price of zero or more; their amount defaults to quantity * price. Dividends and fees need an amount above
/// zero; quantity and price are optional. The account and the asset must exist; <c>currency</c> defaults to the
/// asset's and must equal it. An id already stored must come with the same content (its <see cref="PortfolioTransaction.ContentHash"/>).
/// </remarks>
internal sealed class TransactionImport
    : ImportSpec<TransactionImport.Draft, TransactionImport.StoredKeys, (PortfolioTransaction Transaction, string ContentHash)>
{
    public static TransactionImport Instance { get; } = new();

    public override string What => "transactions";

    public override ImportColumns Columns { get; } = new(
        ["transaction_id", "account_id", "asset_id", "type", "quantity", "price", "amount", "currency", "trade_date"],
        ["transaction_id", "account_id", "asset_id", "type", "trade_date"]);

    public override string Table => "fintrack.transactions";

    public override string TableColumns => "transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date, content_hash";

    public override string ConflictTarget => "(transaction_id)";

    public override Draft Read(RowCheck check, ImportKeys keys)
    {
        var draft = Draft.Read(check);
        keys.RefuseRepeatedId(check, "transaction_id", "transaction", draft.TransactionId);
        return draft;
    }

    /// <remarks>Every draft's keys, even of a row with bad fields: an unknown account is reported beside a bad quantity.</remarks>
    public override async Task<StoredKeys> ReadStoredAsync(NpgsqlConnection connection, IReadOnlyList<Draft> drafts, CancellationToken cancellationToken)
    {
        var accounts = await ReadPairsAsync(connection, "SELECT account_id FROM fintrack.accounts WHERE account_id = ANY(@ids)",
            drafts.Select(d => d.AccountId), cancellationToken);
        var assetCurrencies = await ReadPairsAsync(connection, "SELECT asset_id, currency FROM fintrack.assets WHERE asset_id = ANY(@ids)",
            drafts.Select(d => d.AssetId), cancellationToken);
        var contentHashes = await ReadPairsAsync(connection, "SELECT transaction_id, content_hash FROM fintrack.transactions WHERE transaction_id = ANY(@ids)",
            drafts.Select(d => d.TransactionId), cancellationToken);
        return new StoredKeys(accounts.Keys.ToHashSet(StringComparer.Ordinal), assetCurrencies, contentHashes);
    }

    public override void Check(RowCheck check, Draft draft, StoredKeys stored, ImportRows<(PortfolioTransaction Transaction, string ContentHash)> rows)
    {
        if (draft.AccountId is { } accountId && !stored.Accounts.Contains(accountId))
        {
            check.Fail("account_id", $"Unknown account {accountId}: import the account first.");
        }

        string? assetCurrency = null;
        if (draft.AssetId is { } assetId && !stored.AssetCurrencies.TryGetValue(assetId, out assetCurrency))
        {
            check.Fail("asset_id", $"Unknown asset {assetId}: import the asset first.");
        }

        if (assetCurrency is not null && draft.Currency is { } currency && currency != assetCurrency)
        {
            check.Fail("currency",
                $"{currency} differs from asset {draft.AssetId}'s currency {assetCurrency}: FinTrack does not convert currencies, so give the trade in {assetCurrency}.");
        }

        if (check.Failed || assetCurrency is null)
        {
            return;
        }

        var transaction = draft.ToTransaction(assetCurrency);
        var hash = transaction.ContentHash();
        if (!stored.ContentHashes.TryGetValue(transaction.TransactionId, out var storedHash))
        {
            rows.AddNew((transaction, hash));
        }
        else if (storedHash == hash)
        {
            rows.AddUnchanged();
        }
        else
        {
            check.Fail("transaction_id",
                $"Transaction {transaction.TransactionId} is already stored with different content: an import never changes a stored transaction; send it unchanged, or book the correction under a new id.");
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, (PortfolioTransaction Transaction, string ContentHash) row)
    {
        var (transaction, hash) = row;
        importer.WriteTexts(transaction.TransactionId, transaction.AccountId, transaction.AssetId, transaction.Type.ToWire());
        importer.WriteNullable(transaction.Quantity, NpgsqlDbType.Numeric);
        importer.WriteNullable(transaction.Price, NpgsqlDbType.Numeric);
        importer.Write(transaction.Amount, NpgsqlDbType.Numeric);
        importer.Write(transaction.Currency, NpgsqlDbType.Text);
        importer.Write(transaction.TradeDate, NpgsqlDbType.Date);
        importer.Write(hash, NpgsqlDbType.Text);
    }

    /// <summary>The first column of <paramref name="sql"/>'s rows mapped to the second (empty when there is none), for the distinct non-null <paramref name="ids"/>.</summary>
    private static async Task<Dictionary<string, string>> ReadPairsAsync(
        NpgsqlConnection connection, string sql, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = reader.FieldCount > 1 ? reader.GetString(1) : string.Empty;
        }

        return result;
    }

    /// <summary>Of the drafts' keys: the stored accounts, the stored assets' currencies, and the stored transactions' content hashes.</summary>
    internal sealed record StoredKeys(
        IReadOnlySet<string> Accounts, IReadOnlyDictionary<string, string> AssetCurrencies, IReadOnlyDictionary<string, string> ContentHashes);

    /// <summary>A transaction row as far as its fields could be read; null fields were missing or bad (and reported).</summary>
    internal sealed class Draft
    {
        private Draft()
        {
        }

        public string? TransactionId { get; private init; }

        public string? AccountId { get; private init; }

        public string? AssetId { get; private init; }

        public TransactionType Type { get; private init; }

        public decimal? Quantity { get; private init; }

        public decimal? Price { get; private init; }

        public decimal? Amount { get; private init; }

        public string? Currency { get; private init; }

        public DateOnly TradeDate { get; private init; }

        public static Draft Read(RowCheck check)
        {
            var id = check.Text("transaction_id");
            var accountId = check.Text("account_id");
            var assetId = check.Text("asset_id");

            var typeText = check.Text("type");
            var type = TransactionType.Buy;
            var typeKnown = typeText is not null && TransactionTypes.TryParse(typeText, out type);
            if (typeText is not null && !typeKnown)
            {
                check.Fail("type", $"'{typeText}' is not a transaction type: use buy, sell, dividend or fee.");
            }

            var trades = typeKnown && type is TransactionType.Buy or TransactionType.Sell;
            var cash = typeKnown && type is TransactionType.Dividend or TransactionType.Fee;
            var quantity = check.Number("quantity", required: trades, $"a {type.ToWire()} needs the quantity of units");
            var price = check.Number("price", required: trades, $"a {type.ToWire()} needs the price per unit");
            var amount = check.Number("amount", required: cash, $"a {type.ToWire()} needs the cash amount");
            if (quantity is { } q && (trades ? q <= 0 : q < 0))
            {
                check.Fail("quantity", trades
                    ? $"{q} is not a quantity a {type.ToWire()} can have: it must be greater than zero."
                    : $"{q} is negative: a quantity is zero or more.");
            }

            if (price is { } p && p < 0)
            {
                check.Fail("price", $"{p} is negative: a price is zero or more.");
            }

            if (amount is { } a && (cash ? a <= 0 : a < 0))
            {
                check.Fail("amount", cash
                    ? $"{a} is not an amount a {type.ToWire()} can have: it must be greater than zero."
                    : $"{a} is negative: an amount is zero or more.");
            }

            var currency = check.Currency("currency", required: false);
            var tradeDate = check.Date("trade_date");
            return new Draft
            {
                TransactionId = id,
                AccountId = accountId,
                AssetId = assetId,
                Type = type,
                Quantity = quantity,
                Price = price,
                Amount = amount,
                Currency = currency,
                TradeDate = tradeDate ?? default,
            };
        }

        /// <summary>The validated transaction; only call when the row's <see cref="RowCheck.Failed"/> is false.</summary>
        public PortfolioTransaction ToTransaction(string assetCurrency) => new(
            TransactionId!,
            AccountId!,
            AssetId!,
            Type,
            Quantity,
            Price,
            Amount ?? (Quantity!.Value * Price!.Value),
            Currency ?? assetCurrency,
            TradeDate);
    }
}
