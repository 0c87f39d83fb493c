using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

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
/// Every kind of row goes through the same pipeline (<see cref="ImportAsync"/>); an <see cref="ImportSpec{TDraft, TStored, TRow}"/>
/// per kind (<see cref="TransactionImport"/>, <see cref="AssetImport"/>, <see cref="AccountImport"/>) says how its
/// rows are read, checked and written.
/// </para>
/// <para>
/// Imports hold a transaction-level advisory lock, so two imports never check-then-write the same ids at once.
/// New rows go in with binary COPY into a temporary table and one <c>INSERT ... ON CONFLICT DO NOTHING</c>.
/// </para>
/// </remarks>
public sealed partial class PortfolioImporter
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<PortfolioImporter> _logger;
    private readonly ImportOptions _options;

    /// <summary>Creates an importer writing to the database <paramref name="dataSource"/> connects to.</summary>
    /// <param name="options">The bounds of one import (<c>Imports:*</c>); the defaults when null.</param>
    public PortfolioImporter(NpgsqlDataSource dataSource, ILogger<PortfolioImporter> logger, IOptions<ImportOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _logger = logger;
        _options = options?.Value ?? new ImportOptions();
    }

    /// <summary>The bounds of one import.</summary>
    public ImportOptions Options => _options;

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
    public Task<ImportResult> ImportTransactionsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken) =>
        ImportAsync(TransactionImport.Instance, content, format, cancellationToken);

    /// <summary>Imports assets with the columns <c>asset_id, symbol, name, asset_class, currency</c> (all required).</summary>
    /// <remarks>Ids and symbols are unique: a symbol already used by another asset is an error.</remarks>
    public Task<ImportResult> ImportAssetsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken) =>
        ImportAsync(AssetImport.Instance, content, format, cancellationToken);

    /// <summary>Imports accounts with the columns <c>account_id, name, base_currency</c> (all required).</summary>
    public Task<ImportResult> ImportAccountsAsync(Stream content, ImportFormat format, CancellationToken cancellationToken) =>
        ImportAsync(AccountImport.Instance, content, format, cancellationToken);

    /// <summary>
    /// The pipeline: parse the body into rows, read each row's fields (<see cref="ImportSpec{TDraft, TStored, TRow}.Read"/>),
    /// check them against what is stored under the import lock (<see cref="ImportSpec{TDraft, TStored, TRow}.Check"/>),
    /// then either refuse the whole body with every error, or write the new rows and commit.
    /// </summary>
    private async Task<ImportResult> ImportAsync<TDraft, TStored, TRow>(
        ImportSpec<TDraft, TStored, TRow> spec, Stream content, ImportFormat format, CancellationToken cancellationToken)
    {
        var errors = new ImportErrors(_options.MaxErrorsListed);
        var sourceRows = await ImportSource.ReadAsync(content, format, spec.Columns, _options.MaxRows, errors, cancellationToken);
        var keys = new ImportKeys(format);
        var checks = new List<RowCheck>(sourceRows.Count);
        var drafts = new List<TDraft>(sourceRows.Count);
        foreach (var sourceRow in sourceRows)
        {
            var check = new RowCheck(sourceRow, errors);
            checks.Add(check);
            drafts.Add(spec.Read(check, keys));
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FinTrackLocks.TakeImportLockAsync(connection, cancellationToken);

        var stored = await spec.ReadStoredAsync(connection, drafts, cancellationToken);
        var rows = new ImportRows<TRow>();
        for (var i = 0; i < drafts.Count; i++)
        {
            spec.Check(checks[i], drafts[i], stored, rows);
        }

        if (errors.Count > 0)
        {
            return Reject(spec.What, sourceRows.Count, errors);
        }

        var stage = spec.What + "_stage";
        await StagingTable.CopyAsync(connection, stage, spec.Table, spec.TableColumns, rows.New, spec.Write, cancellationToken);
        var inserted = await StagingTable.ExecuteAsync(connection,
            $"""
            INSERT INTO {spec.Table} ({spec.TableColumns})
            SELECT {spec.TableColumns} FROM {stage}
            ON CONFLICT {spec.ConflictTarget} DO NOTHING
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogImported(spec.What, sourceRows.Count, inserted, rows.Unchanged);
        return new ImportResult(sourceRows.Count, inserted, rows.Unchanged, []);
    }

    private ImportResult Reject(string what, int rows, ImportErrors errors)
    {
        // Stable: errors of one line keep the order the fields were checked in.
        var ordered = errors.Kept.OrderBy(e => e.Line).ToList();
        LogRejected(what, rows, errors.Count, ordered.Select(e => e.Line).Distinct().Count());
        return new ImportResult(rows, 0, 0, ordered) { TotalErrors = errors.Count };
    }

    [LoggerMessage(1, LogLevel.Information, "Imported {What}: {Rows} rows, {Inserted} inserted, {Unchanged} unchanged")]
    private partial void LogImported(string what, int rows, int inserted, int unchanged);

    [LoggerMessage(2, LogLevel.Information, "Refused an import of {What}: {Rows} rows, {Errors} errors on {BadRows} rows; nothing was written")]
    private partial void LogRejected(string what, int rows, int errors, int badRows);
}
