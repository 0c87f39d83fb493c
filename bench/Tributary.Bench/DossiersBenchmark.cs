using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Tributary.Storage;
using Tributary.Storage.Dossiers;
using Tributary.Testing;

namespace Tributary.Bench;

/// <summary>
/// <c>dossiers</c>: upserts generated WealthX dossiers of about 5 KB through <see cref="PostgresDossierStore"/> in
/// pages of 500 (binary COPY into a temporary table plus one <c>INSERT ... ON CONFLICT</c> per page), against binary
/// COPY of the same rows into a bare table, one <c>unnest</c> statement per page (the other way the store could
/// write), and a per-record upsert loop.
/// </summary>
/// <remarks>
/// The COPY, <c>unnest</c> and per-record writers below write the store's rows with SQL of their own on purpose: they
/// are the baselines the store is measured against, into their own tables, not copies of what is measured. What is
/// measured, and the store's row count, go through <see cref="PostgresDossierStore"/>.
/// </remarks>
internal static class DossiersBenchmark
{
    private const string Usage = "usage: dossiers [--count 100000] [--page 500] [--per-record 5000] [--keep]";

    private static readonly string[] FirstNames =
        ["Jane", "John", "Amelia", "Lukas", "Sofia", "Hiroshi", "Priya", "Mateo", "Chloé", "Anders", "Fatima", "Wei", "Olivia", "Noah", "Ingrid", "Rafael"];

    private static readonly string[] LastNames =
        ["Doe", "Smith", "Müller", "Tanaka", "Rossi", "Okafor", "Larsen", "García", "Dubois", "Chen", "Kowalski", "Haddad", "Nakamura", "Silva", "Novak", "Keller"];

    private static readonly string[] Categories = ["UHNW", "VHNW", "HNW"];
    private static readonly string[] Countries = ["CH", "US", "GB", "DE", "SG", "HK", "AE", "FR", "JP", "BR"];
    private static readonly string[] Industries = ["Private Equity", "Real Estate", "Technology", "Shipping", "Pharmaceuticals", "Retail", "Energy", "Banking"];

    private static readonly string[] Words =
        ("founded acquired family office board director philanthropy foundation portfolio holdings investment chairman "
         + "shares private listed company estate art collection sailing aviation trust university graduated economics "
         + "engineering venture capital fund partner minority majority stake subsidiary group international logistics").Split(' ');

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--count"] = 100_000,
            ["--page"] = 500,
            ["--per-record"] = 5_000,
        };
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--keep")
            {
                keep = true;
            }
            else if (options.ContainsKey(args[i]) && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0)
            {
                options[args[i]] = value;
                i++;
            }
            else
            {
                Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'. {Usage}");
                return 2;
            }
        }

        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench_dossiers");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(
                new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
            await new DatabaseMigrator(dataSource, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
            await RunAsync(dataSource, options["--count"], options["--page"], Math.Min(options["--per-record"], options["--count"]));
            return 0;
        }
        finally
        {
            await BenchDatabase.ReleaseAsync(server, connectionString, keep);
        }
    }

    private static async Task RunAsync(NpgsqlDataSource dataSource, int count, int pageSize, int perRecord)
    {
        var generate = Stopwatch.StartNew();
        var dossiers = Enumerable.Range(1, count).Select(i => DossierDocument.FromJson(Generate(i, revision: 0))).ToList();
        var bytes = dossiers.Sum(d => (long)Encoding.UTF8.GetByteCount(d.RawJson));
        Console.WriteLine(
            $"Generated {count:N0} dossiers, {bytes / count:N0} bytes of JSON each on average ({bytes / 1_048_576.0:N0} MiB), in {generate.Elapsed.TotalSeconds:N1} s.");
        var pages = dossiers.Chunk(pageSize).ToList();
        await ExecuteAsync(dataSource,
            """
            CREATE TABLE bench_bare (LIKE wealthx_dossiers);
            CREATE TABLE bench_unnest (LIKE wealthx_dossiers INCLUDING ALL);
            CREATE TABLE bench_per_record (LIKE wealthx_dossiers INCLUDING ALL);
            """);

        // Untimed warm-up (JIT, pool, catalog caches) on throwaway IDs, then emptied.
        var store = new PostgresDossierStore(dataSource, TimeProvider.System);
        var warmUp = Enumerable.Range(1, 1_000).Select(i => DossierDocument.FromJson(Generate(-i, 0))).ToList();
        foreach (var page in warmUp.Chunk(pageSize))
        {
            await store.UpsertPageAsync(page, CancellationToken.None);
            await UnnestUpsertAsync(dataSource, page, DateTimeOffset.UtcNow);
        }

        await CopyAsync(dataSource, warmUp);
        await ExecuteAsync(dataSource, "TRUNCATE wealthx_dossiers, bench_bare, bench_unnest");
        await ExecuteAsync(dataSource, "VACUUM ANALYZE");

        var rows = new List<(string Name, double Seconds, int Rows, string Note)>();

        var copy = await TimeAsync(() => CopyAsync(dataSource, dossiers));
        rows.Add(("binary COPY into a bare table (no keys, no indexes), one stream", copy, count, ""));

        var inserted = new DossierUpsertResult(0, 0, 0);
        var storeInsert = await TimeAsync(async () =>
        {
            foreach (var page in pages)
            {
                var result = await store.UpsertPageAsync(page, CancellationToken.None);
                inserted = new DossierUpsertResult(inserted.Inserted + result.Inserted, inserted.Updated + result.Updated, inserted.Unchanged + result.Unchanged);
            }
        });
        rows.Add(($"PostgresDossierStore.UpsertPageAsync, pages of {pageSize}, new IDs", storeInsert, count, $"{inserted}"));

        var unnest = await TimeAsync(async () =>
        {
            foreach (var page in pages)
            {
                await UnnestUpsertAsync(dataSource, page, DateTimeOffset.UtcNow);
            }
        });
        rows.Add(($"one INSERT ... SELECT FROM unnest(arrays) ON CONFLICT per page of {pageSize}, new IDs", unnest, count, "the alternative, not used"));

        var unchanged = new DossierUpsertResult(0, 0, 0);
        var storeUnchanged = await TimeAsync(async () =>
        {
            foreach (var page in pages)
            {
                var result = await store.UpsertPageAsync(page, CancellationToken.None);
                unchanged = new DossierUpsertResult(unchanged.Inserted + result.Inserted, unchanged.Updated + result.Updated, unchanged.Unchanged + result.Unchanged);
            }
        });
        rows.Add(($"PostgresDossierStore.UpsertPageAsync, same pages again (unchanged)", storeUnchanged, count, $"{unchanged}"));

        var revised = Enumerable.Range(1, count).Select(i => DossierDocument.FromJson(Generate(i, revision: 1))).ToList();
        var changed = new DossierUpsertResult(0, 0, 0);
        var storeChanged = await TimeAsync(async () =>
        {
            foreach (var page in revised.Chunk(pageSize))
            {
                var result = await store.UpsertPageAsync(page, CancellationToken.None);
                changed = new DossierUpsertResult(changed.Inserted + result.Inserted, changed.Updated + result.Updated, changed.Unchanged + result.Unchanged);
            }
        });
        rows.Add(($"PostgresDossierStore.UpsertPageAsync, every dossier changed", storeChanged, count, $"{changed}"));

        var sample = dossiers.Take(perRecord).ToList();
        var perRecordSeconds = await TimeAsync(() => PerRecordAsync(dataSource, sample));
        var extrapolated = perRecordSeconds * count / sample.Count;
        rows.Add(("per-record upsert loop, autocommit" + (sample.Count < count ? " *" : string.Empty), extrapolated, count,
            sample.Count < count ? $"timed {sample.Count:N0} in {perRecordSeconds:N2} s, extrapolated x{(double)count / sample.Count:N1}" : ""));

        Console.WriteLine();
        Console.WriteLine("| step | rows | seconds | rows/s | vs COPY | note |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var (name, seconds, n, note) in rows)
        {
            Console.WriteLine($"| {name} | {n:N0} | {seconds:N2} | {n / seconds:N0} | {copy / seconds:N2}x | {note} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Store upsert of new IDs: {copy / storeInsert:N2}x the COPY rate (target >= 0.7x), {extrapolated / storeInsert:N1}x the per-record loop.");
        Console.WriteLine($"Rows: store {await store.CountAsync(CancellationToken.None)}, bare {await ScalarAsync(dataSource, "SELECT count(*) FROM bench_bare")}, unnest {await ScalarAsync(dataSource, "SELECT count(*) FROM bench_unnest")}, per-record {await ScalarAsync(dataSource, "SELECT count(*) FROM bench_per_record")}.");
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    private static void WriteRow(NpgsqlBinaryImporter importer, DossierDocument d, DateTimeOffset now)
    {
        importer.Write(d.Id, NpgsqlDbType.Bigint);
        importer.Write(d.RawJson, NpgsqlDbType.Jsonb);
        importer.Write(Convert.FromHexString(DossierContentHash.Compute(d.RawJson)), NpgsqlDbType.Bytea);
        WriteNullable(importer, d.Category);
        WriteNullable(importer, d.FullName);
        WriteNullable(importer, d.FirstName);
        WriteNullable(importer, d.LastName);
        if (d.LastModified is { } day)
        {
            importer.Write(day, NpgsqlDbType.Date);
        }
        else
        {
            importer.WriteNull();
        }

        importer.Write(now, NpgsqlDbType.TimestampTz);
        importer.Write(now, NpgsqlDbType.TimestampTz);
        importer.Write(now, NpgsqlDbType.TimestampTz);
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value)
    {
        if (value is null)
        {
            importer.WriteNull();
        }
        else
        {
            importer.Write(value, NpgsqlDbType.Text);
        }
    }

    private const string AllColumns =
        "id, document, content_hash, category, full_name, first_name, last_name, last_modified, created_at, updated_at, last_seen_at";

    /// <summary>The baseline: the same rows (hash computed the same way) in one binary COPY into a table without keys.</summary>
    private static async Task CopyAsync(NpgsqlDataSource dataSource, IReadOnlyList<DossierDocument> dossiers)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var importer = await connection.BeginBinaryImportAsync($"COPY bench_bare ({AllColumns}) FROM STDIN (FORMAT BINARY)");
        var now = DateTimeOffset.UtcNow;
        foreach (var dossier in dossiers)
        {
            await importer.StartRowAsync();
            WriteRow(importer, dossier, now);
        }

        await importer.CompleteAsync();
    }

    /// <summary>
    /// The other way the store could write a page, for comparison: one statement over <c>unnest</c> of parameter
    /// arrays (a single round trip, no COPY), with the same ON CONFLICT rule and counts as the store.
    /// </summary>
    private static async Task UnnestUpsertAsync(NpgsqlDataSource dataSource, IReadOnlyList<DossierDocument> page, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH input AS (
                SELECT * FROM unnest(@ids, @documents, @hashes, @categories, @full_names, @first_names, @last_names, @last_modified)
                    AS i(id, document, content_hash, category, full_name, first_name, last_name, last_modified)
            ),
            previous AS (
                SELECT d.id, d.content_hash FROM bench_unnest d WHERE d.id IN (SELECT id FROM input)
            ),
            written AS (
                INSERT INTO bench_unnest AS t
                    (id, document, content_hash, category, full_name, first_name, last_name, last_modified, created_at, updated_at, last_seen_at)
                SELECT id, document::jsonb, content_hash, category, full_name, first_name, last_name, last_modified, @now, @now, @now
                FROM input
                ON CONFLICT (id) DO UPDATE SET
                    document      = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.document ELSE EXCLUDED.document END,
                    category      = EXCLUDED.category,
                    full_name     = EXCLUDED.full_name,
                    first_name    = EXCLUDED.first_name,
                    last_name     = EXCLUDED.last_name,
                    last_modified = EXCLUDED.last_modified,
                    updated_at    = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.updated_at ELSE EXCLUDED.updated_at END,
                    content_hash  = EXCLUDED.content_hash,
                    last_seen_at  = EXCLUDED.last_seen_at
                RETURNING 1
            )
            SELECT count(*) FILTER (WHERE p.id IS NULL),
                   count(*) FILTER (WHERE p.content_hash <> i.content_hash),
                   count(*) FILTER (WHERE p.content_hash = i.content_hash),
                   (SELECT count(*) FROM written)
            FROM input i LEFT JOIN previous p ON p.id = i.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", page.Select(r => r.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("documents", page.Select(r => r.RawJson).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("hashes", page.Select(r => Convert.FromHexString(DossierContentHash.Compute(r.RawJson))).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("categories", page.Select(r => r.Category).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("full_names", page.Select(r => r.FullName).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("first_names", page.Select(r => r.FirstName).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("last_names", page.Select(r => r.LastName).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateOnly?[]>("last_modified", page.Select(r => r.LastModified).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date,
        });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the seed's script did: one upsert statement per dossier, each its own transaction.</summary>
    private static async Task PerRecordAsync(NpgsqlDataSource dataSource, IReadOnlyList<DossierDocument> dossiers)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO bench_per_record AS t (id, document, content_hash, category, full_name, first_name, last_name, last_modified, created_at, updated_at, last_seen_at)
            VALUES (@id, @document, @hash, @category, @full_name, @first_name, @last_name, @last_modified, @now, @now, @now)
            ON CONFLICT (id) DO UPDATE SET
                document = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.document ELSE EXCLUDED.document END,
                updated_at = CASE WHEN t.content_hash = EXCLUDED.content_hash THEN t.updated_at ELSE EXCLUDED.updated_at END,
                content_hash = EXCLUDED.content_hash, last_seen_at = EXCLUDED.last_seen_at
            """, connection);
        var id = command.Parameters.Add("id", NpgsqlDbType.Bigint);
        var document = command.Parameters.Add("document", NpgsqlDbType.Jsonb);
        var hash = command.Parameters.Add("hash", NpgsqlDbType.Bytea);
        var category = command.Parameters.Add("category", NpgsqlDbType.Text);
        var fullName = command.Parameters.Add("full_name", NpgsqlDbType.Text);
        var firstName = command.Parameters.Add("first_name", NpgsqlDbType.Text);
        var lastName = command.Parameters.Add("last_name", NpgsqlDbType.Text);
        var lastModified = command.Parameters.Add("last_modified", NpgsqlDbType.Date);
        var now = command.Parameters.Add("now", NpgsqlDbType.TimestampTz);
        foreach (var dossier in dossiers)
        {
            id.Value = dossier.Id;
            document.Value = dossier.RawJson;
            hash.Value = Convert.FromHexString(DossierContentHash.Compute(dossier.RawJson));
            category.Value = (object?)dossier.Category ?? DBNull.Value;
            fullName.Value = (object?)dossier.FullName ?? DBNull.Value;
            firstName.Value = (object?)dossier.FirstName ?? DBNull.Value;
            lastName.Value = (object?)dossier.LastName ?? DBNull.Value;
            lastModified.Value = dossier.LastModified is { } day ? day : DBNull.Value;
            now.Value = DateTimeOffset.UtcNow;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// A deterministic dossier of about 5 KB: the fields of PROTOCOLS.md plus the kind of nested detail a WealthX
    /// profile carries (biography, career, companies, relations, interests). <paramref name="revision"/> changes
    /// the net worth and the last-modified day, as an upstream update would.
    /// </summary>
    private static string Generate(int id, int revision)
    {
        var random = new Random(id);
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        string Sentence(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)])) + ".";

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("ID", id);
            writer.WriteString("dossierType", "person");
            writer.WriteString("dossierCategory", Categories[random.Next(Categories.Length)]);
            writer.WriteString("firstName", first);
            writer.WriteString("lastName", last);
            writer.WriteString("fullName", $"{first} {last}");
            writer.WriteNumber("netWorth", (random.Next(30, 20_000) * 1_000_000L) + (revision * 1_000_000L));
            writer.WriteString("netWorthCurrency", "USD");
            writer.WriteString("primaryCompany", $"{last} {Industries[random.Next(Industries.Length)]} AG");
            writer.WriteString("position", random.Next(2) == 0 ? "Chairman" : "Founder and CEO");
            writer.WriteString("country", Countries[random.Next(Countries.Length)]);
            writer.WriteString("biography", string.Join(' ', Enumerable.Range(0, 15).Select(_ => Sentence(random.Next(12, 24)))));
            writer.WriteStartArray("career");
            for (var i = 0; i < 8; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("company", $"{LastNames[random.Next(LastNames.Length)]} {Industries[random.Next(Industries.Length)]}");
                writer.WriteString("title", random.Next(2) == 0 ? "Director" : "Partner");
                writer.WriteNumber("from", 1980 + random.Next(40));
                writer.WriteString("summary", Sentence(random.Next(10, 20)));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("relations");
            for (var i = 0; i < 5; i++)
            {
                writer.WriteStartObject();
                writer.WriteNumber("dossierId", random.Next(1, 420_000));
                writer.WriteString("name", $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}");
                writer.WriteString("relationship", random.Next(2) == 0 ? "spouse" : "business partner");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("interests");
            for (var i = 0; i < 6; i++)
            {
                writer.WriteStringValue(Words[random.Next(Words.Length)]);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("education");
            for (var i = 0; i < 2; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("institution", $"University of {Countries[random.Next(Countries.Length)]}");
                writer.WriteString("degree", random.Next(2) == 0 ? "MBA" : "BSc Economics");
                writer.WriteNumber("year", 1970 + random.Next(40));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("lastModified", new DateOnly(2025, 1, 1).AddDays(random.Next(365) + revision).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
