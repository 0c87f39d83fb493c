using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// Accounts: <c>account_id, name, base_currency</c>, all required. An id already stored must come with the stored
/// name and base currency.
/// </summary>
internal sealed class AccountImport : ImportSpec<Account?, IReadOnlyDictionary<string, Account>, Account>
{
    public static AccountImport Instance { get; } = new();

    public override string What => "accounts";

    public override ImportColumns Columns { get; } = new(
        ["account_id", "name", "base_currency"],
        ["account_id", "name", "base_currency"]);

    public override string Table => "fintrack.accounts";

    public override string TableColumns => "account_id, name, base_currency";

    public override Account? Read(RowCheck check, ImportKeys keys)
    {
        var id = check.Text("account_id");
        var name = check.Text("name");
        var currency = check.Currency("base_currency", required: true);
        keys.RefuseRepeatedId(check, "account_id", "account", id);
        return check.Failed ? null : new Account(id!, name!, currency!);
    }

    public override async Task<IReadOnlyDictionary<string, Account>> ReadStoredAsync(
        NpgsqlConnection connection, IReadOnlyList<Account?> drafts, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, Account>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT account_id, name, base_currency FROM fintrack.accounts WHERE account_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", drafts.OfType<Account>().Select(a => a.AccountId).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            stored[reader.GetString(0)] = new Account(reader.GetString(0), reader.GetString(1), reader.GetString(2));
        }

        return stored;
    }

    public override void Check(RowCheck check, Account? account, IReadOnlyDictionary<string, Account> stored, ImportRows<Account> rows)
    {
        if (account is null)
        {
            return;
        }

        if (!stored.TryGetValue(account.AccountId, out var existing))
        {
            rows.AddNew(account);
            return;
        }

        RefuseChanges(check, $"Account {account.AccountId}",
            ("name", existing.Name, account.Name),
            ("base_currency", existing.BaseCurrency, account.BaseCurrency));
        if (!check.Failed)
        {
            rows.AddUnchanged();
        }
    }

    public override void Write(NpgsqlBinaryImporter importer, Account row) =>
        importer.WriteTexts(row.AccountId, row.Name, row.BaseCurrency);
}
