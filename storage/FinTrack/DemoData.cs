using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>How big a generated FinTrack data set is, and the seed that makes it reproducible.</summary>
/// <param name="Assets">Number of assets.</param>
/// <param name="Accounts">Number of accounts.</param>
/// <param name="Transactions">Number of transactions (exactly).</param>
/// <param name="From">First trade date.</param>
/// <param name="To">Last trade date.</param>
/// <param name="Seed">Seed of the generator: the same size and seed always give the same rows.</param>
public sealed record DemoDataSize(int Assets, int Accounts, int Transactions, DateOnly From, DateOnly To, int Seed)
{
    /// <summary>The set <c>./run.sh</c> loads into an empty database: 300 assets, 40 accounts, 30,000 transactions over 2024-2025.</summary>
    public static DemoDataSize Default { get; } = new(300, 40, 30_000, new DateOnly(2024, 1, 1), new DateOnly(2025, 12, 31), 20_240_101);

    /// <summary>Fails with a sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        if (Assets < 1 || Accounts < 1 || Transactions < 1)
        {
            throw new ArgumentException($"A demo data set needs at least one asset, account and transaction (was {Assets}, {Accounts}, {Transactions}).");
        }

        if (To < From)
        {
            throw new ArgumentException($"The demo data's last trade date {To:yyyy-MM-dd} is before its first {From:yyyy-MM-dd}.");
        }
    }
}

/// <summary>A generated data set: every row valid (known accounts and assets, no sale of more than is held).</summary>
public sealed record DemoDataSet(
    IReadOnlyList<Asset> Assets,
    IReadOnlyList<Account> Accounts,
    IReadOnlyList<MarketIndex> Indices,
    IReadOnlyList<PortfolioTransaction> Transactions);

/// <summary>
/// A deterministic synthetic FinTrack data set (assets, accounts, a handful of market indices and their transactions),
/// so that on an empty database every FinTrack job has real work.
/// </summary>
/// <remarks>
/// Each account holds a fixed sample of assets and trades each about 25 times, spread over the date range: the first
/// trade is a buy, later ones are buys, sales (never more than held, sometimes the whole position), dividends and
/// fees. Prices are not generated: the market-data jobs fetch them.
/// </remarks>
public static class DemoData
{
    private const int TransactionsPerPosition = 25;

    private static readonly MarketIndex[] IndexList =
    [
        new("NDX", "Nasdaq 100", "USD"),
        new("NKY", "Nikkei 225", "JPY"),
        new("SMI", "Swiss Market Index", "CHF"),
        new("SPX", "S&P 500", "USD"),
        new("SX5E", "Euro Stoxx 50", "EUR"),
        new("UKX", "FTSE 100", "GBP"),
    ];

    private static readonly string[] AssetClasses = ["equity", "equity", "equity", "equity", "equity", "equity", "etf", "etf", "bond", "fund"];
    private static readonly string[] Currencies = ["USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "CHF", "CHF", "GBP"];
    private static readonly string[] BaseCurrencies = ["USD", "EUR", "CHF"];

    /// <summary>Generates the data set of <paramref name="size"/>; the same size always gives the same rows.</summary>
    public static DemoDataSet Generate(DemoDataSize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        size.Validate();
        var random = new Random(size.Seed);

        var idWidth = Math.Max(4, size.Assets.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var assets = new Asset[size.Assets];
        var basePrices = new decimal[size.Assets];
        for (var i = 0; i < size.Assets; i++)
        {
            var symbol = Symbol(i);
            var assetClass = AssetClasses[random.Next(AssetClasses.Length)];
            assets[i] = new Asset($"AST-{(i + 1).ToString($"D{idWidth}", System.Globalization.CultureInfo.InvariantCulture)}", symbol,
                $"{symbol} {char.ToUpperInvariant(assetClass[0])}{assetClass[1..]}", assetClass, Currencies[random.Next(Currencies.Length)]);
            basePrices[i] = random.Next(500, 50_000) / 100m;
        }

        var accountWidth = Math.Max(4, size.Accounts.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var accounts = new Account[size.Accounts];
        for (var i = 0; i < size.Accounts; i++)
        {
            var number = (i + 1).ToString($"D{accountWidth}", System.Globalization.CultureInfo.InvariantCulture);
            accounts[i] = new Account($"ACC-{number}", $"Portfolio {number}", BaseCurrencies[random.Next(BaseCurrencies.Length)]);
        }

        // Positions (account, asset): as many as give ~25 transactions each, spread evenly over the accounts.
        var positionCount = (int)Math.Clamp((long)Math.Ceiling(size.Transactions / (double)TransactionsPerPosition), 1, Math.Min((long)size.Accounts * size.Assets, size.Transactions));
        var positions = new List<(int Account, int Asset)>(positionCount);
        var pool = Enumerable.Range(0, size.Assets).ToArray();
        for (var account = 0; account < size.Accounts; account++)
        {
            var held = positionCount / size.Accounts + (account < positionCount % size.Accounts ? 1 : 0);
            for (var k = 0; k < held; k++)
            {
                // Partial Fisher-Yates: the first `held` slots become a random sample without repeats.
                var pick = k + random.Next(size.Assets - k);
                (pool[k], pool[pick]) = (pool[pick], pool[k]);
                positions.Add((account, pool[k]));
            }
        }

        var days = size.To.DayNumber - size.From.DayNumber + 1;
        var transactions = new List<PortfolioTransaction>(size.Transactions);
        var sequence = 0;
        var dates = new List<int>();
        for (var p = 0; p < positions.Count; p++)
        {
            var (accountIndex, assetIndex) = positions[p];
            var account = accounts[accountIndex];
            var asset = assets[assetIndex];
            var count = size.Transactions / positions.Count + (p < size.Transactions % positions.Count ? 1 : 0);
            dates.Clear();
            for (var k = 0; k < count; k++)
            {
                dates.Add(random.Next(days));
            }

            dates.Sort();
            var held = 0m;
            foreach (var offset in dates)
            {
                var day = DateOnly.FromDayNumber(size.From.DayNumber + offset);
                var price = PriceOn(basePrices[assetIndex], assetIndex, offset);
                var roll = random.Next(100);
                var id = $"T{++sequence:D8}";
                PortfolioTransaction transaction;
                if (held == 0 || roll < 45)
                {
                    var quantity = (decimal)random.Next(1, 101);
                    held += quantity;
                    transaction = new(id, account.AccountId, asset.AssetId, TransactionType.Buy, quantity, price, quantity * price, asset.Currency, day);
                }
                else if (roll < 75)
                {
                    // One sale in five closes the position; the others sell part of it.
                    var quantity = random.Next(5) == 0 ? held : random.Next(1, (int)held + 1);
                    held -= quantity;
                    transaction = new(id, account.AccountId, asset.AssetId, TransactionType.Sell, quantity, price, quantity * price, asset.Currency, day);
                }
                else if (roll < 90)
                {
                    var amount = Math.Max(0.01m, decimal.Round(held * price * 0.004m, 2));
                    transaction = new(id, account.AccountId, asset.AssetId, TransactionType.Dividend, null, null, amount, asset.Currency, day);
                }
                else
                {
                    var amount = random.Next(100, 2_500) / 100m;
                    transaction = new(id, account.AccountId, asset.AssetId, TransactionType.Fee, null, null, amount, asset.Currency, day);
                }

                transactions.Add(transaction);
            }
        }

        return new DemoDataSet(assets, accounts, IndexList, transactions);
    }

    /// <summary>Loads <see cref="DemoDataSize.Default"/> when the database has no assets yet.</summary>
    /// <returns>True when it loaded the data, false when assets already existed.</returns>
    public static Task<bool> LoadIfEmptyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        LoadIfEmptyAsync(dataSource, DemoDataSize.Default, cancellationToken);

    /// <summary>Generates and loads a data set of <paramref name="size"/> when the database has no assets yet.</summary>
    /// <returns>True when it loaded the data, false when assets already existed.</returns>
    /// <remarks>
    /// Runs in one transaction under the import lock, so two silos starting together load it once, and an import
    /// running at the same time is not mixed with it. Rows go in with binary COPY.
    /// </remarks>
    public static async Task<bool> LoadIfEmptyAsync(NpgsqlDataSource dataSource, DemoDataSize size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(size);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await FinTrackLocks.TakeImportLockAsync(connection, cancellationToken);

        // A separate statement: its snapshot is taken after the lock is held, so it sees a load that just committed.
        await using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM fintrack.assets)", connection))
        {
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return false;
            }
        }

        // The rows are generated valid, so they skip the imports' checks but are written as the imports write them.
        var set = Generate(size);
        await AssetImport.Instance.CopyUncheckedAsync(connection, set.Assets, cancellationToken);
        await AccountImport.Instance.CopyUncheckedAsync(connection, set.Accounts, cancellationToken);
        await using (var indices = new NpgsqlCommand(
            """
            INSERT INTO fintrack.market_indices (symbol, name, currency)
            SELECT * FROM unnest(@symbols, @names, @currencies) ON CONFLICT (symbol) DO NOTHING
            """,
            connection))
        {
            indices.Parameters.AddWithValue("symbols", set.Indices.Select(i => i.Symbol).ToArray());
            indices.Parameters.AddWithValue("names", set.Indices.Select(i => i.Name).ToArray());
            indices.Parameters.AddWithValue("currencies", set.Indices.Select(i => i.Currency).ToArray());
            await indices.ExecuteNonQueryAsync(cancellationToken);
        }

        await TransactionImport.Instance.CopyUncheckedAsync(connection, set.Transactions.Select(t => (t, t.ContentHash())), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A deterministic price path: a yearly wave of +-25 % around the asset's base price, in cents.</summary>
    private static decimal PriceOn(decimal basePrice, int assetIndex, int dayOffset)
    {
        var phase = assetIndex * 0.37;
        var wave = 1 + 0.25 * Math.Sin(2 * Math.PI * (dayOffset / 365.0 + phase));
        return Math.Max(0.01m, decimal.Round(basePrice * (decimal)wave, 2));
    }

    /// <summary>Four upper-case letters per index: AAAA, AAAB, ... (unique up to 456,976 assets).</summary>
    private static string Symbol(int index)
    {
        Span<char> letters = stackalloc char[4];
        for (var i = 3; i >= 0; i--)
        {
            letters[i] = (char)('A' + index % 26);
            index /= 26;
        }

        return new string(letters);
    }
}
