using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Imports transactions, assets and accounts from a JSON array or a CSV body, all or nothing: every row is
/// validated, every bad field of every bad row is reported, and only a body without errors is written, in one
/// database transaction.
/// </summary>
/// <remarks>
/// <para>
/// Rows are keyed by the caller's id, so importing is idempotent: a row already stored with the same content is
/// counted as unchanged and not written again; a row whose id is stored with different content is an error (an
/// import never edits history; correct it under a new id).
/// </para>
/// <para>
/// Imports hold a transaction-level advisory lock, so two imports never check-then-write the same ids at once.
/// New rows go in with binary COPY into a temporary table and one <c>INSERT ... ON CONFLICT DO NOTHING</c>.
/// </para>
/// </remarks>
public sealed partial class PortfolioImporter
{
    private static readonly ImportColumns TransactionColumns = new(
        ["transaction_id", "account_id", "asset_id", "type", "quantity", "price", "amount", "currency", "trade_date"],
        ["transaction_id", "account_id", "asset_id", "type", "trade_date"]);

    private static readonly ImportColumns AssetColumns = new(
        ["asset_id", "symbol", "name", "asset_class", "currency"],
        ["asset_id", "symbol", "name", "asset_class", "currency"]);

    private static readonly ImportColumns AccountColumns = new(
        ["account_id", "name", "base_currency"],
        ["account_id", "name", "base_currency"]);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PortfolioImporter> _logger;

    /// <summary>Creates an importer writing to the database <paramref name="dataSource"/> connects to.</summary>
    public PortfolioImporter(NpgsqlDataSource dataSource, ILogger<PortfolioImporter> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
    }

    /// <summary>
    /// Imports transactions with the columns <c>transaction_id, account_id, asset_id, type, quantity, price, amount,
    /// currency, trade_date</c>.
    /// </summary>
    /// <remarks>
    /// <c>type</c> is <c>buy</c>, <c>sell</c>, <c>dividend</c> or <c>fee</c>. Buys and sells need a quantity above zero
    /// and a price of zero or more; their amount defaults to quantity * price. Dividends and fees need an amount above
    /// zero; quantity and price are optional. <c>trade_date</c> is <c>yyyy-MM-dd</c>. The account and the asset must
    /// exist; <c>currency</c> defaults to the asset's and must equal it. A CSV header must name at least
    /// <c>transaction_id, account_id, asset_id, type, trade_date</c>.
    /// </remarks>
    public async Task<ImportResult> ImportTransactionsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken)
    {
        var (rows, errors) = await ImportSource.ReadAsync(content, format, TransactionColumns, cancellationToken);
        var drafts = new List<TransactionDraft>(rows.Count);
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var draft = TransactionDraft.Read(new RowCheck(row, errors));
            if (draft.TransactionId is { } id && !firstLineById.TryAdd(id, row.Line))
            {
                draft.Check.Fail("transaction_id",
                    $"Duplicate: transaction {id} already appears at {RowCheck.Describe(firstLineById[id], format)}; each id may appear once per import.");
            }

            drafts.Add(draft);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);

        var accounts = await ReadIdsAsync(connection, "SELECT account_id FROM fintrack.accounts WHERE account_id = ANY(@ids)",
            drafts.Select(d => d.AccountId), cancellationToken);
        var assetCurrencies = await ReadPairsAsync(connection, "SELECT asset_id, currency FROM fintrack.assets WHERE asset_id = ANY(@ids)",
            drafts.Select(d => d.AssetId), cancellationToken);
        var storedHashes = await ReadPairsAsync(connection, "SELECT transaction_id, content_hash FROM fintrack.transactions WHERE transaction_id = ANY(@ids)",
            drafts.Select(d => d.TransactionId), cancellationToken);

        var toInsert = new List<(PortfolioTransaction Row, string Hash)>();
        var unchanged = 0;
        foreach (var draft in drafts)
        {
            if (draft.AccountId is { } accountId && !accounts.Contains(accountId))
            {
                draft.Check.Fail("account_id", $"Unknown account {accountId}: import the account first.");
            }

            string? assetCurrency = null;
            if (draft.AssetId is { } assetId && !assetCurrencies.TryGetValue(assetId, out assetCurrency))
            {
                draft.Check.Fail("asset_id", $"Unknown asset {assetId}: import the asset first.");
            }

            if (assetCurrency is not null && draft.Currency is { } currency && currency != assetCurrency)
            {
                draft.Check.Fail("currency",
                    $"{currency} differs from asset {draft.AssetId}'s currency {assetCurrency}: FinTrack does not convert currencies, so give the trade in {assetCurrency}.");
            }

            if (draft.Check.Failed || assetCurrency is null)
            {
                continue;
            }

            var row = draft.ToTransaction(assetCurrency);
            var hash = row.ContentHash();
            if (!storedHashes.TryGetValue(row.TransactionId, out var storedHash))
            {
                toInsert.Add((row, hash));
            }
            else if (storedHash == hash)
            {
                unchanged++;
            }
            else
            {
                draft.Check.Fail("transaction_id",
                    $"Transaction {row.TransactionId} is already stored with different content: an import never changes a stored transaction; send it unchanged, or book the correction under a new id.");
            }
        }

        if (errors.Count > 0)
        {
            return Reject("transactions", rows.Count, errors);
        }

        await StagingTable.CopyAsync(connection, "transactions_stage", "fintrack.transactions",
            "transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date, content_hash",
            toInsert, WriteTransactionAsync, cancellationToken);
        var inserted = await StagingTable.ExecuteAsync(connection,
            """
            INSERT INTO fintrack.transactions (transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date, content_hash)
            SELECT transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date, content_hash FROM transactions_stage
            ON CONFLICT (transaction_id) DO NOTHING
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogImported("transactions", rows.Count, inserted, unchanged);
        return new ImportResult(rows.Count, inserted, unchanged, []);
    }

    /// <summary>Imports assets with the columns <c>asset_id, symbol, name, asset_class, currency</c> (all required).</summary>
    /// <remarks>Ids and symbols are unique: a symbol already used by another asset is an error.</remarks>
    public async Task<ImportResult> ImportAssetsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken)
    {
        var (rows, errors) = await ImportSource.ReadAsync(content, format, AssetColumns, cancellationToken);
        var drafts = new List<(RowCheck Check, Asset? Asset)>(rows.Count);
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstLineBySymbol = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var check = new RowCheck(row, errors);
            var id = check.Text("asset_id");
            var symbol = check.Text("symbol");
            var name = check.Text("name");
            var assetClass = check.Text("asset_class");
            var currency = check.Currency("currency", required: true);
            if (id is not null && !firstLineById.TryAdd(id, row.Line))
            {
                check.Fail("asset_id", $"Duplicate: asset {id} already appears at {RowCheck.Describe(firstLineById[id], format)}; each id may appear once per import.");
            }

            if (symbol is not null && !firstLineBySymbol.TryAdd(symbol, row.Line))
            {
                check.Fail("symbol", $"Duplicate: symbol {symbol} already appears at {RowCheck.Describe(firstLineBySymbol[symbol], format)}; symbols are unique.");
            }

            drafts.Add((check, check.Failed ? null : new Asset(id!, symbol!, name!, assetClass!, currency!)));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);

        var candidates = drafts.Where(d => d.Asset is not null).Select(d => d.Asset!).ToList();
        var stored = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var symbolOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT asset_id, symbol, name, asset_class, currency FROM fintrack.assets WHERE asset_id = ANY(@ids) OR symbol = ANY(@symbols)", connection))
        {
            command.Parameters.AddWithValue("ids", candidates.Select(a => a.AssetId).ToArray());
            command.Parameters.AddWithValue("symbols", candidates.Select(a => a.Symbol).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var asset = new Asset(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4));
                stored[asset.AssetId] = asset;
                symbolOwners[asset.Symbol] = asset.AssetId;
            }
        }

        var toInsert = new List<Asset>();
        var unchanged = 0;
        foreach (var (check, asset) in drafts)
        {
            if (asset is null)
            {
                continue;
            }

            if (stored.TryGetValue(asset.AssetId, out var existing))
            {
                ReportChanges(check, $"Asset {asset.AssetId}",
                    ("symbol", existing.Symbol, asset.Symbol),
                    ("name", existing.Name, asset.Name),
                    ("asset_class", existing.AssetClass, asset.AssetClass),
                    ("currency", existing.Currency, asset.Currency));
                if (!check.Failed)
                {
                    unchanged++;
                }
            }
            else if (symbolOwners.TryGetValue(asset.Symbol, out var owner))
            {
                check.Fail("symbol", $"Symbol {asset.Symbol} already belongs to asset {owner}: symbols are unique.");
            }
            else
            {
                toInsert.Add(asset);
            }
        }

        if (errors.Count > 0)
        {
            return Reject("assets", rows.Count, errors);
        }

        await StagingTable.CopyAsync(connection, "assets_stage", "fintrack.assets", "asset_id, symbol, name, asset_class, currency", toInsert,
            async (importer, asset, token) =>
            {
                await importer.WriteAsync(asset.AssetId, NpgsqlDbType.Text, token);
                await importer.WriteAsync(asset.Symbol, NpgsqlDbType.Text, token);
                await importer.WriteAsync(asset.Name, NpgsqlDbType.Text, token);
                await importer.WriteAsync(asset.AssetClass, NpgsqlDbType.Text, token);
                await importer.WriteAsync(asset.Currency, NpgsqlDbType.Text, token);
            },
            cancellationToken);
        var inserted = await StagingTable.ExecuteAsync(connection,
            """
            INSERT INTO fintrack.assets (asset_id, symbol, name, asset_class, currency)
            SELECT asset_id, symbol, name, asset_class, currency FROM assets_stage
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogImported("assets", rows.Count, inserted, unchanged);
        return new ImportResult(rows.Count, inserted, unchanged, []);
    }

    /// <summary>Imports accounts with the columns <c>account_id, name, base_currency</c> (all required).</summary>
    public async Task<ImportResult> ImportAccountsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken)
    {
        var (rows, errors) = await ImportSource.ReadAsync(content, format, AccountColumns, cancellationToken);
        var drafts = new List<(RowCheck Check, Account? Account)>(rows.Count);
        var firstLineById = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var check = new RowCheck(row, errors);
            var id = check.Text("account_id");
            var name = check.Text("name");
            var currency = check.Currency("base_currency", required: true);
            if (id is not null && !firstLineById.TryAdd(id, row.Line))
            {
                check.Fail("account_id", $"Duplicate: account {id} already appears at {RowCheck.Describe(firstLineById[id], format)}; each id may appear once per import.");
            }

            drafts.Add((check, check.Failed ? null : new Account(id!, name!, currency!)));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, cancellationToken);

        var stored = new Dictionary<string, Account>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT account_id, name, base_currency FROM fintrack.accounts WHERE account_id = ANY(@ids)", connection))
        {
            command.Parameters.AddWithValue("ids", drafts.Where(d => d.Account is not null).Select(d => d.Account!.AccountId).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetString(0)] = new Account(reader.GetString(0), reader.GetString(1), reader.GetString(2));
            }
        }

        var toInsert = new List<Account>();
        var unchanged = 0;
        foreach (var (check, account) in drafts)
        {
            if (account is null)
            {
                continue;
            }

            if (stored.TryGetValue(account.AccountId, out var existing))
            {
                ReportChanges(check, $"Account {account.AccountId}",
                    ("name", existing.Name, account.Name),
                    ("base_currency", existing.BaseCurrency, account.BaseCurrency));
                if (!check.Failed)
                {
                    unchanged++;
                }
            }
            else
            {
                toInsert.Add(account);
            }
        }

        if (errors.Count > 0)
        {
            return Reject("accounts", rows.Count, errors);
        }

        await StagingTable.CopyAsync(connection, "accounts_stage", "fintrack.accounts", "account_id, name, base_currency", toInsert,
            async (importer, account, token) =>
            {
                await importer.WriteAsync(account.AccountId, NpgsqlDbType.Text, token);
                await importer.WriteAsync(account.Name, NpgsqlDbType.Text, token);
                await importer.WriteAsync(account.BaseCurrency, NpgsqlDbType.Text, token);
            },
            cancellationToken);
        var inserted = await StagingTable.ExecuteAsync(connection,
            """
            INSERT INTO fintrack.accounts (account_id, name, base_currency)
            SELECT account_id, name, base_currency FROM accounts_stage
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogImported("accounts", rows.Count, inserted, unchanged);
        return new ImportResult(rows.Count, inserted, unchanged, []);
    }

    /// <summary>Writes one transaction row in the column order of the transactions COPY.</summary>
    internal static async Task WriteTransactionAsync(NpgsqlBinaryImporter importer, (PortfolioTransaction Row, string Hash) item, CancellationToken cancellationToken)
    {
        var (row, hash) = item;
        await importer.WriteAsync(row.TransactionId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(row.AccountId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(row.AssetId, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(row.Type.ToWire(), NpgsqlDbType.Text, cancellationToken);
        await WriteNullableAsync(importer, row.Quantity, cancellationToken);
        await WriteNullableAsync(importer, row.Price, cancellationToken);
        await importer.WriteAsync(row.Amount, NpgsqlDbType.Numeric, cancellationToken);
        await importer.WriteAsync(row.Currency, NpgsqlDbType.Text, cancellationToken);
        await importer.WriteAsync(row.TradeDate, NpgsqlDbType.Date, cancellationToken);
        await importer.WriteAsync(hash, NpgsqlDbType.Text, cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, decimal? value, CancellationToken cancellationToken)
    {
        if (value is { } number)
        {
            await importer.WriteAsync(number, NpgsqlDbType.Numeric, cancellationToken);
        }
        else
        {
            await importer.WriteNullAsync(cancellationToken);
        }
    }

    private static void ReportChanges(RowCheck check, string what, params (string Field, string Stored, string Sent)[] fields)
    {
        foreach (var (field, storedValue, sent) in fields.Where(f => f.Stored != f.Sent))
        {
            check.Fail(field,
                $"{what} is already stored with {field} '{storedValue}', not '{sent}': an import never changes a stored row; send the stored value.");
        }
    }

    private ImportResult Reject(string what, int rows, List<ImportError> errors)
    {
        // Stable: errors of one line keep the order the fields were checked in.
        var ordered = errors.OrderBy(e => e.Line).ToList();
        LogRejected(what, rows, ordered.Count, ordered.Select(e => e.Line).Distinct().Count());
        return new ImportResult(rows, 0, 0, ordered);
    }

    private static async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", FinTrackLocks.Import);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<HashSet<string>> ReadIdsAsync(NpgsqlConnection connection, string sql, IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, _) in await ReadPairsAsync(connection, sql, ids, cancellationToken, singleColumn: true))
        {
            found.Add(id);
        }

        return found;
    }

    private static async Task<Dictionary<string, string>> ReadPairsAsync(
        NpgsqlConnection connection, string sql, IEnumerable<string?> ids, CancellationToken cancellationToken, bool singleColumn = false)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetString(0)] = singleColumn ? string.Empty : reader.GetString(1);
        }

        return result;
    }

    [LoggerMessage(1, LogLevel.Information, "Imported {What}: {Rows} rows, {Inserted} inserted, {Unchanged} unchanged")]
    private partial void LogImported(string what, int rows, int inserted, int unchanged);

    [LoggerMessage(2, LogLevel.Information, "Refused an import of {What}: {Rows} rows, {Errors} errors on {BadRows} rows; nothing was written")]
    private partial void LogRejected(string what, int rows, int errors, int badRows);

    /// <summary>A transaction row as far as its fields could be read; null fields were missing or bad (and reported).</summary>
    private sealed class TransactionDraft
    {
        private TransactionDraft(RowCheck check) => Check = check;

        public RowCheck Check { get; }

        public string? TransactionId { get; private init; }

        public string? AccountId { get; private init; }

        public string? AssetId { get; private init; }

        public TransactionType Type { get; private init; }

        public decimal? Quantity { get; private init; }

        public decimal? Price { get; private init; }

        public decimal? Amount { get; private init; }

        public string? Currency { get; private init; }

        public DateOnly TradeDate { get; private init; }

        public static TransactionDraft Read(RowCheck check)
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
            return new TransactionDraft(check)
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

        /// <summary>The validated transaction; only call when <see cref="RowCheck.Failed"/> is false.</summary>
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
