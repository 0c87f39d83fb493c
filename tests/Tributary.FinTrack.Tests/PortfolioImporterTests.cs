using Tributary.Storage.FinTrack;

namespace Tributary.FinTrack.Tests;

/// <summary>Imports: all or nothing, every bad field reported by line, idempotent by the caller's id.</summary>
public sealed class PortfolioImporterTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string AccountsJson = """
        [{"account_id": "ACC-1", "name": "Main", "base_currency": "usd"},
         {"account_id": "ACC-2", "name": "Pension", "base_currency": "CHF"}]
        """;

    private const string AssetsCsv =
        "asset_id,symbol,name,asset_class,currency\n" +
        "AAPL-US,AAPL,\"Apple, Inc.\",equity,USD\n" +
        "NESN-CH,NESN,Nestle,equity,CHF\n";

    [Fact]
    public async Task A_json_import_writes_every_row_and_fills_in_amount_and_currency()
    {
        await using var db = await SeededAsync("json_happy");

        var result = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(
            """
            [
              {"transaction_id": "T1", "account_id": "ACC-1", "asset_id": "AAPL-US", "type": "buy", "quantity": 10, "price": 150.25, "trade_date": "2024-01-31"},
              {"transaction_id": "T2", "account_id": "ACC-1", "asset_id": "AAPL-US", "type": "SELL", "quantity": "4", "price": "160", "amount": 639.5, "currency": "USD", "trade_date": "2024-02-01"},
              {"transaction_id": "T3", "account_id": "ACC-2", "asset_id": "NESN-CH", "type": "dividend", "amount": 12.40, "trade_date": "2024-04-20", "quantity": null}
            ]
            """), ImportFormat.Json, None);

        Assert.True(result.Succeeded);
        Assert.Equal((3, 3, 0), (result.Rows, result.Inserted, result.Unchanged));
        Assert.Equal(
            "(T1,ACC-1,AAPL-US,buy,10,150.25,1502.50,USD,2024-01-31)\n" +
            "(T2,ACC-1,AAPL-US,sell,4,160,639.5,USD,2024-02-01)\n" +
            "(T3,ACC-2,NESN-CH,dividend,,,12.40,CHF,2024-04-20)",
            await db.DumpAsync(
                "(SELECT transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date FROM fintrack.transactions) t",
                "transaction_id"));
    }

    [Fact]
    public async Task A_csv_import_reads_quoted_fields_crlf_and_optional_columns()
    {
        await using var db = await SeededAsync("csv_happy");

        var result = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(
            "transaction_id,account_id,asset_id,type,quantity,price,trade_date\r\n" +
            "\"C,1\",ACC-1,AAPL-US,buy,2.5,100,2024-03-01\r\n" +
            "C-2,ACC-2,NESN-CH,buy,1,90.10,2024-03-02\r\n" +
            "\r\n"), ImportFormat.Csv, None);

        Assert.Equal((2, 2, 0), (result.Rows, result.Inserted, result.Unchanged));
        Assert.Empty(result.Errors);
        Assert.Equal(
            "(\"C,1\",AAPL-US,250.0,USD)\n(C-2,NESN-CH,90.10,CHF)",
            await db.DumpAsync("(SELECT transaction_id, asset_id, amount, currency FROM fintrack.transactions) t", "transaction_id"));
    }

    [Fact]
    public async Task Every_bad_csv_row_is_reported_by_line_and_field_and_nothing_is_written()
    {
        await using var db = await SeededAsync("csv_errors");
        await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(
            "transaction_id,account_id,asset_id,type,quantity,price,trade_date\nOLD,ACC-1,AAPL-US,buy,1,10,2024-01-01\n"), ImportFormat.Csv, None);

        var result = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(
            "transaction_id,account_id,asset_id,type,quantity,price,amount,currency,trade_date\n" +
            "GOOD,ACC-1,AAPL-US,buy,1,10,,,2024-01-02\n" +          // line 2: fine
            "B3,NOBODY,AAPL-US,buy,1,10,,,2024-01-02\n" +           // line 3
            "B4,ACC-1,NOTHING,sell,1,10,,,2024-01-02\n" +           // line 4
            "B5,ACC-1,AAPL-US,swap,1,10,,,2024-01-02\n" +           // line 5
            "B6,ACC-1,AAPL-US,sell,0,10,,,2024-01-02\n" +           // line 6
            "B7,ACC-1,AAPL-US,buy,-2,-1,,,2024-13-01\n" +           // line 7
            ",ACC-1,AAPL-US,buy,,10,,,2024-01-02\n" +               // line 8
            "GOOD,ACC-1,AAPL-US,buy,1,10,,,2024-01-02\n" +          // line 9
            "B10,ACC-1,AAPL-US,fee,,,,,2024-01-02\n" +              // line 10
            "B11,ACC-1,AAPL-US,buy,1,10,,EUR,2024-01-02\n" +        // line 11
            "OLD,ACC-1,AAPL-US,buy,2,10,,,2024-01-01\n" +           // line 12
            "B13,ACC-1,AAPL-US,buy,ten,10,,,2024-01-02,extra\n"),   // line 13
            ImportFormat.Csv, None);

        Assert.False(result.Succeeded);
        Assert.Equal((13 - 2, 0, 0), (result.Rows, result.Inserted, result.Unchanged));
        Assert.Equal(
            [
                new ImportError(3, "account_id", "Unknown account NOBODY: import the account first."),
                new ImportError(4, "asset_id", "Unknown asset NOTHING: import the asset first."),
                new ImportError(5, "type", "'swap' is not a transaction type: use buy, sell, dividend or fee."),
                new ImportError(6, "quantity", "0 is not a quantity a sell can have: it must be greater than zero."),
                new ImportError(7, "quantity", "-2 is not a quantity a buy can have: it must be greater than zero."),
                new ImportError(7, "price", "-1 is negative: a price is zero or more."),
                new ImportError(7, "trade_date", "'2024-13-01' is not a valid date: write it as yyyy-MM-dd, e.g. 2024-03-31."),
                new ImportError(8, "transaction_id", "Missing: this field is required."),
                new ImportError(8, "quantity", "Missing: a buy needs the quantity of units."),
                new ImportError(9, "transaction_id", "Duplicate: transaction GOOD already appears at line 2; each id may appear once per import."),
                new ImportError(10, "amount", "Missing: a fee needs the cash amount."),
                new ImportError(11, "currency", "EUR differs from asset AAPL-US's currency USD: FinTrack does not convert currencies, so give the trade in USD."),
                new ImportError(12, "transaction_id", "Transaction OLD is already stored with different content: an import never changes a stored transaction; send it unchanged, or book the correction under a new id."),
                new ImportError(13, "$", "The row has 10 fields but the header has 9: quote values that contain commas."),
            ],
            result.Errors);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.transactions"));
    }

    [Fact]
    public async Task Every_bad_json_element_is_reported_by_its_index()
    {
        await using var db = await SeededAsync("json_errors");

        var result = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(
            """
            [
              {"transaction_id": "J0", "account_id": "ACC-1", "asset_id": "AAPL-US", "type": "buy", "quantity": 1, "price": 1, "trade_date": "2024-01-01"},
              {"transaction_id": "J1", "account_id": "ACC-1", "asset_id": "AAPL-US", "type": "buy", "quantity": 1, "price": 1, "trade_date": "01/02/2024", "qty": 3},
              42,
              {"transaction_id": "J3", "account_id": ["ACC-1"], "asset_id": "AAPL-US", "type": "dividend", "amount": 0, "trade_date": "2024-01-01"}
            ]
            """), ImportFormat.Json, None);

        Assert.Equal(
            [
                new ImportError(1, "qty", "Unknown field: expected only transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date."),
                new ImportError(1, "trade_date", "'01/02/2024' is not a valid date: write it as yyyy-MM-dd, e.g. 2024-03-31."),
                new ImportError(2, "$", "Element is a JSON number: each element must be an object with the fields transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date."),
                new ImportError(3, "account_id", "Is a JSON array: give a string or a number."),
                new ImportError(3, "amount", "0 is not an amount a dividend can have: it must be greater than zero."),
            ],
            result.Errors);
        Assert.Equal((3, 0, 0), (result.Rows, result.Inserted, result.Unchanged));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.transactions"));
    }

    [Fact]
    public async Task A_body_that_is_not_an_array_or_lacks_required_columns_is_refused_as_a_whole()
    {
        await using var db = await SeededAsync("document_errors");

        var notArray = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body("""{"transaction_id": "T1"}"""), ImportFormat.Json, None);
        var broken = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body("[{\"transaction_id\": "), ImportFormat.Json, None);
        var header = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body("transaction_id,account,type\nT1,ACC-1,buy\n"), ImportFormat.Csv, None);
        var empty = await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(""), ImportFormat.Csv, None);

        Assert.Equal([new ImportError(-1, "$", "The body is a JSON object: send a JSON array of objects, one per row.")], notArray.Errors);
        Assert.Equal(-1, Assert.Single(broken.Errors).Line);
        Assert.Equal(
            [
                new ImportError(1, "account", "Unknown column: expected only transaction_id, account_id, asset_id, type, quantity, price, amount, currency, trade_date."),
                new ImportError(1, "account_id", "Required column is missing from the header row."),
                new ImportError(1, "asset_id", "Required column is missing from the header row."),
                new ImportError(1, "trade_date", "Required column is missing from the header row."),
            ],
            header.Errors);
        Assert.Equal(-1, Assert.Single(empty.Errors).Line);
    }

    [Fact]
    public async Task Re_posting_the_same_rows_is_a_no_op_reported_as_unchanged()
    {
        await using var db = await SeededAsync("repost");
        const string first = "transaction_id,account_id,asset_id,type,quantity,price,trade_date\nR1,ACC-1,AAPL-US,buy,10,100,2024-01-01\n";
        const string again =
            "transaction_id,account_id,asset_id,type,quantity,price,amount,currency,trade_date\n" +
            "R1,ACC-1,AAPL-US,BUY,10.0,100.00,1000,usd,2024-01-01\n" +
            "R2,ACC-1,AAPL-US,sell,1,100,,,2024-01-02\n";

        Assert.Equal((1, 1, 0), Counts(await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(first), ImportFormat.Csv, None)));
        var stored = await db.DumpAsync("fintrack.transactions", "transaction_id");
        Assert.Equal((1, 0, 1), Counts(await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(first), ImportFormat.Csv, None)));
        Assert.Equal(stored, await db.DumpAsync("fintrack.transactions", "transaction_id"));

        Assert.Equal((2, 1, 1), Counts(await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(again), ImportFormat.Csv, None)));
        Assert.Equal((2, 0, 2), Counts(await db.Importer.ImportTransactionsAsync(FinTrackDatabase.Body(again), ImportFormat.Csv, None)));
        Assert.Equal((2, 0, 2), Counts(await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body(AccountsJson), ImportFormat.Json, None)));
        Assert.Equal((2, 0, 2), Counts(await db.Importer.ImportAssetsAsync(FinTrackDatabase.Body(AssetsCsv), ImportFormat.Csv, None)));
    }

    [Fact]
    public async Task A_conflicting_re_post_of_assets_or_accounts_is_refused_field_by_field()
    {
        await using var db = await SeededAsync("conflicts");

        var assets = await db.Importer.ImportAssetsAsync(FinTrackDatabase.Body(
            """
            [
              {"asset_id": "MSFT-US", "symbol": "MSFT", "name": "Microsoft", "asset_class": "equity", "currency": "USD"},
              {"asset_id": "AAPL-US", "symbol": "AAPL", "name": "Apple", "asset_class": "equity", "currency": "EUR"},
              {"asset_id": "NESTLE", "symbol": "NESN", "name": "Nestle again", "asset_class": "equity", "currency": "CHF"},
              {"asset_id": "MSFT-US", "symbol": "MSFT2", "name": "Microsoft", "asset_class": "equity", "currency": "US"}
            ]
            """), ImportFormat.Json, None);
        var accounts = await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body(
            "account_id,name,base_currency\nACC-1,Main,EUR\nACC-3,,USD\n"), ImportFormat.Csv, None);

        Assert.Equal(
            [
                new ImportError(1, "name", "Asset AAPL-US is already stored with name 'Apple, Inc.', not 'Apple': an import never changes a stored row; send the stored value."),
                new ImportError(1, "currency", "Asset AAPL-US is already stored with currency 'USD', not 'EUR': an import never changes a stored row; send the stored value."),
                new ImportError(2, "symbol", "Symbol NESN already belongs to asset NESN-CH: symbols are unique."),
                new ImportError(3, "currency", "'US' is not a currency code: give three letters such as USD, EUR or CHF."),
                new ImportError(3, "asset_id", "Duplicate: asset MSFT-US already appears at element 0; each id may appear once per import."),
            ],
            assets.Errors);
        Assert.Equal(
            [
                new ImportError(2, "base_currency", "Account ACC-1 is already stored with base_currency 'USD', not 'EUR': an import never changes a stored row; send the stored value."),
                new ImportError(3, "name", "Missing: this field is required."),
            ],
            accounts.Errors);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.assets"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
    }

    [Fact]
    public async Task A_body_past_max_rows_stops_being_read_and_lists_only_the_first_errors_counting_all()
    {
        await using var db = await FinTrackDatabase.CreateAsync("import_bounds");
        var importer = new PortfolioImporter(db.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<PortfolioImporter>.Instance,
            Microsoft.Extensions.Options.Options.Create(new ImportOptions { MaxRows = 1_000, MaxErrorsListed = 100 }));
        // 5,000 elements that are not rows: the seed's 10 MB body of [0,0,...] in small.
        var zeros = "[" + string.Join(",", Enumerable.Repeat("0", 5_000)) + "]";

        var result = await importer.ImportAccountsAsync(FinTrackDatabase.Body(zeros), ImportFormat.Json, None);

        // 1,000 elements read, each an error, then one for the row past the bound; nothing past it was read.
        Assert.Equal(1_001, result.TotalErrors);
        Assert.Equal(100, result.Errors.Count);
        Assert.Equal(Enumerable.Range(0, 100), result.Errors.Select(e => e.Line));
        Assert.Equal(0, result.Rows);
        var csv = "account_id,name,base_currency\n" + string.Concat(Enumerable.Range(1, 1_001).Select(i => $"A{i},Account {i},CHF\n"));
        var tooMany = await importer.ImportAccountsAsync(FinTrackDatabase.Body(csv), ImportFormat.Csv, None);
        var refusal = Assert.Single(tooMany.Errors);
        Assert.Equal(new ImportError(1_002, ImportError.WholeRow,
            "The body has more than 1000 rows (Imports:MaxRows): split it into smaller imports; nothing was read past this row."), refusal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
    }

    [Fact]
    public async Task A_csv_body_is_read_in_chunks_with_quotes_and_crlf_across_their_edges()
    {
        await using var db = await FinTrackDatabase.CreateAsync("import_csv_chunks");
        // About 120 KB: records, quoted quotes and CRLFs fall across the reader's 16 KB chunks at many places.
        var csv = "account_id,name,base_currency\r\n" + string.Concat(Enumerable.Range(1, 3_000).Select(i => $"A{i:D5},\"Account, \"\"{i}\"\" of the {i % 7}th desk\",CHF\r\n"));

        var result = await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body(csv), ImportFormat.Csv, None);

        Assert.Equal((3_000, 3_000, 0), Counts(result));
        Assert.Equal(3_000L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
        Assert.Equal("Account, \"1500\" of the 2th desk", await db.ScalarAsync<string>("SELECT name FROM fintrack.accounts WHERE account_id = 'A01500'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts WHERE name NOT LIKE 'Account, \"%\" of the %th desk'"));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("ABC")]
    [InlineData("XXX")]
    public async Task A_currency_that_is_not_an_iso_4217_code_is_refused_naming_the_field(string currency)
    {
        await using var db = await FinTrackDatabase.CreateAsync("import_currency");

        var result = await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body($"account_id,name,base_currency\nA1,Account,{currency}\n"), ImportFormat.Csv, None);

        Assert.Equal([new ImportError(2, "base_currency", $"'{currency}' is not an ISO 4217 currency code: give one such as USD, EUR or CHF.")], result.Errors);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
    }

    [Theory]
    [InlineData("[{\"account_id\": \"A\\u0000\", \"name\": \"n\", \"base_currency\": \"CHF\"}]", ImportFormat.Json, 0)]
    [InlineData("[{\"account_id\": \"A\\ud800\", \"name\": \"n\", \"base_currency\": \"CHF\"}]", ImportFormat.Json, 0)]
    [InlineData("account_id,name,base_currency\nA\u0000,n,CHF\n", ImportFormat.Csv, 2)]
    public async Task Text_postgresql_cannot_store_is_a_field_error_not_a_database_error(string body, ImportFormat format, int line)
    {
        await using var db = await FinTrackDatabase.CreateAsync("import_nul");

        var result = await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body(body), format, None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((line, "account_id"), (error.Line, error.Field));
        Assert.StartsWith("Is not storable text: it holds a NUL character (U+0000) or a lone UTF-16 surrogate", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM fintrack.accounts"));
    }

    private static (int Rows, int Inserted, int Unchanged) Counts(ImportResult result)
    {
        Assert.Empty(result.Errors);
        return (result.Rows, result.Inserted, result.Unchanged);
    }

    /// <summary>A database with two accounts (JSON import) and two assets (CSV import).</summary>
    private static async Task<FinTrackDatabase> SeededAsync(string purpose)
    {
        var db = await FinTrackDatabase.CreateAsync(purpose);
        Assert.Equal((2, 2, 0), Counts(await db.Importer.ImportAccountsAsync(FinTrackDatabase.Body(AccountsJson), ImportFormat.Json, None)));
        Assert.Equal((2, 2, 0), Counts(await db.Importer.ImportAssetsAsync(FinTrackDatabase.Body(AssetsCsv), ImportFormat.Csv, None)));
        return db;
    }
}
