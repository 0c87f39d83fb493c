using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Tributary.Storage.Dossiers;
using Xunit;

namespace Tributary.WealthX.Tests.Dossiers;

/// <summary>
/// The behaviour every <see cref="IDossierStore"/> must have (issue 4, "Store contract"). Each implementation
/// subclasses this with a fresh, empty store per test.
/// </summary>
public abstract class DossierStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private IDossierStore? _store;

    protected FakeTimeProvider Time { get; } = new(Start);

    protected IDossierStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store whose clock is <paramref name="time"/>.</summary>
    protected abstract Task<IDossierStore> CreateStoreAsync(TimeProvider time);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made (drops the database).</summary>
    protected abstract Task DisposeStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    public Task DisposeAsync() => DisposeStoreAsync();

    [StoreFact]
    public async Task An_insert_sets_created_updated_and_last_seen_to_now()
    {
        var dossier = Dossier(100234, "Jane Doe", "UHNW");

        var result = await Store.UpsertPageAsync([dossier], CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(1, 0, 0), result);
        var stored = await Store.GetAsync(100234, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Start, stored.CreatedAt);
        Assert.Equal(Start, stored.UpdatedAt);
        Assert.Equal(Start, stored.LastSeenAt);
        Assert.Equal(DossierContentHash.Compute(dossier.RawJson), stored.ContentHash);
        Assert.Equal(dossier with { RawJson = stored.Document.RawJson }, stored.Document);
        Assert.Equal(DossierContentHash.Compute(dossier.RawJson), DossierContentHash.Compute(stored.Document.RawJson));
    }

    [StoreFact]
    public async Task Changed_content_moves_updated_at_and_keeps_created_at()
    {
        await Store.UpsertPageAsync([Dossier(7, "Jane Doe", "UHNW", netWorth: 250_000_000)], CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(6));

        var result = await Store.UpsertPageAsync([Dossier(7, "Jane Doe-Smith", "VHNW", netWorth: 260_000_000)], CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(0, 1, 0), result);
        var stored = await Store.GetAsync(7, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Start, stored.CreatedAt);
        Assert.Equal(Start.AddHours(6), stored.UpdatedAt);
        Assert.Equal(Start.AddHours(6), stored.LastSeenAt);
        Assert.Equal("Jane Doe-Smith", stored.Document.FullName);
        Assert.Equal("VHNW", stored.Document.Category);
        Assert.Equal(DossierContentHash.Compute(Dossier(7, "Jane Doe-Smith", "VHNW", netWorth: 260_000_000).RawJson), stored.ContentHash);
    }

    [StoreFact]
    public async Task Unchanged_content_keeps_updated_at_and_moves_last_seen_at()
    {
        await Store.UpsertPageAsync([Dossier(7, "Jane Doe", "UHNW")], CancellationToken.None);
        Time.Advance(TimeSpan.FromHours(6));
        // The same dossier with its properties in another order and indented: the same content.
        var node = JsonNode.Parse(Dossier(7, "Jane Doe", "UHNW").RawJson)!.AsObject();
        var reordered = new JsonObject(node.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var sameContent = DossierDocument.FromJson(reordered.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

        var result = await Store.UpsertPageAsync([sameContent], CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(0, 0, 1), result);
        var stored = await Store.GetAsync(7, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Start, stored.CreatedAt);
        Assert.Equal(Start, stored.UpdatedAt);
        Assert.Equal(Start.AddHours(6), stored.LastSeenAt);
    }

    [StoreFact]
    public async Task A_page_of_500_is_written_in_one_call_with_exact_counts()
    {
        var first = Enumerable.Range(1, 500).Select(i => Dossier(i, $"Person {i}", "UHNW")).ToList();

        var inserted = await Store.UpsertPageAsync(first, CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(500, 0, 0), inserted);
        Assert.Equal(500, await Store.CountAsync(CancellationToken.None));

        // 251..375 changed, 376..500 the same, 501..750 new.
        Time.Advance(TimeSpan.FromMinutes(1));
        var second = Enumerable.Range(251, 500)
            .Select(i => i <= 375 ? Dossier(i, $"Person {i}", "VHNW") : Dossier(i, $"Person {i}", "UHNW"))
            .ToList();

        var mixed = await Store.UpsertPageAsync(second, CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(250, 125, 125), mixed);
        Assert.Equal(750, await Store.CountAsync(CancellationToken.None));
        var changed = await Store.GetAsync(300, CancellationToken.None);
        var same = await Store.GetAsync(400, CancellationToken.None);
        var untouched = await Store.GetAsync(100, CancellationToken.None);
        Assert.Equal((Start, Start.AddMinutes(1), Start.AddMinutes(1)), (changed!.CreatedAt, changed.UpdatedAt, changed.LastSeenAt));
        Assert.Equal((Start, Start, Start.AddMinutes(1)), (same!.CreatedAt, same.UpdatedAt, same.LastSeenAt));
        Assert.Equal((Start, Start, Start), (untouched!.CreatedAt, untouched.UpdatedAt, untouched.LastSeenAt));
    }

    [StoreFact]
    public async Task An_id_twice_in_one_page_is_written_once_and_the_last_copy_wins()
    {
        var result = await Store.UpsertPageAsync(
            [Dossier(1, "Old Name", "UHNW"), Dossier(2, "Other", "UHNW"), Dossier(1, "New Name", "UHNW")], CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(2, 0, 0), result);
        Assert.Equal(2, await Store.CountAsync(CancellationToken.None));
        Assert.Equal("New Name", (await Store.GetAsync(1, CancellationToken.None))!.Document.FullName);
    }

    [StoreFact]
    public async Task Writing_the_same_page_again_adds_nothing()
    {
        var page = Enumerable.Range(1, 20).Select(i => Dossier(i, $"Person {i}", "UHNW")).ToList();
        await Store.UpsertPageAsync(page, CancellationToken.None);

        var again = await Store.UpsertPageAsync(page, CancellationToken.None);

        Assert.Equal(new DossierUpsertResult(0, 0, 20), again);
        Assert.Equal(20, await Store.CountAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task Get_of_an_unknown_id_returns_null()
    {
        await Store.UpsertPageAsync([Dossier(1, "Jane Doe", "UHNW")], CancellationToken.None);

        Assert.Null(await Store.GetAsync(2, CancellationToken.None));
    }

    [StoreFact]
    public async Task Search_matches_a_name_substring_case_insensitively_in_any_name_field()
    {
        await Store.UpsertPageAsync(
        [
            Dossier(1, "Jane Doe", "UHNW"),
            Dossier(2, "John Smith", "UHNW"),
            Dossier(3, "Ana Dóe_Ortiz", "VHNW"),
            Dossier(4, "Mary Major", "VHNW", firstName: "Mary", lastName: "Doerr"),
            Dossier(5, "100% Owner", "UHNW"),
        ], CancellationToken.None);

        var doe = await Store.SearchAsync(new DossierQuery(Name: "DOE"), CancellationToken.None);
        var literal = await Store.SearchAsync(new DossierQuery(Name: "0%"), CancellationToken.None);
        var none = await Store.SearchAsync(new DossierQuery(Name: "nobody"), CancellationToken.None);

        Assert.Equal([1L, 4L], doe.Items.Select(d => d.Document.Id));
        Assert.Equal(2, doe.Total);
        Assert.Equal([5L], literal.Items.Select(d => d.Document.Id));
        Assert.Empty(none.Items);
        Assert.Equal(0, none.Total);
    }

    [StoreFact]
    public async Task Search_by_category_pages_in_id_order_with_the_total()
    {
        var page = Enumerable.Range(1, 30).Select(i => Dossier(i, $"Person {i}", i % 3 == 0 ? "VHNW" : "UHNW")).ToList();
        await Store.UpsertPageAsync(page, CancellationToken.None);

        var first = await Store.SearchAsync(new DossierQuery(Category: "UHNW", Offset: 0, Limit: 8), CancellationToken.None);
        var last = await Store.SearchAsync(new DossierQuery(Category: "UHNW", Offset: 16, Limit: 8), CancellationToken.None);
        var past = await Store.SearchAsync(new DossierQuery(Category: "UHNW", Offset: 40, Limit: 8), CancellationToken.None);
        var both = await Store.SearchAsync(new DossierQuery(Name: "person 2", Category: "VHNW"), CancellationToken.None);

        Assert.Equal([1L, 2, 4, 5, 7, 8, 10, 11], first.Items.Select(d => d.Document.Id));
        Assert.Equal(20, first.Total);
        Assert.Equal([25L, 26, 28, 29], last.Items.Select(d => d.Document.Id));
        Assert.Equal(20, last.Total);
        Assert.Empty(past.Items);
        Assert.Equal(20, past.Total);
        Assert.Equal([21L, 24, 27], both.Items.Select(d => d.Document.Id));
        Assert.Equal(3, both.Total);
    }

    [StoreFact]
    public async Task Search_refuses_a_limit_out_of_range_naming_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.SearchAsync(new DossierQuery(Limit: 0), CancellationToken.None));

        Assert.Equal("limit must be 1..1000, was 0. (Parameter 'Limit')", error.Message);
    }

    [StoreFact]
    public async Task Count_is_the_number_of_distinct_ids()
    {
        Assert.Equal(0, await Store.CountAsync(CancellationToken.None));
        await Store.UpsertPageAsync(Enumerable.Range(1, 40).Select(i => Dossier(i, $"P {i}", "UHNW")).ToList(), CancellationToken.None);
        await Store.UpsertPageAsync(Enumerable.Range(31, 40).Select(i => Dossier(i, $"Q {i}", "UHNW")).ToList(), CancellationToken.None);

        Assert.Equal(70, await Store.CountAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task Cleanup_reports_no_duplicates_when_the_unique_index_is_in_place()
    {
        await Store.UpsertPageAsync(Enumerable.Range(1, 10).Select(i => Dossier(i, $"P {i}", "UHNW")).ToList(), CancellationToken.None);
        await Store.UpsertPageAsync(Enumerable.Range(1, 10).Select(i => Dossier(i, $"P {i}", "VHNW")).ToList(), CancellationToken.None);

        var cleanup = await Store.CleanupDuplicatesAsync(CancellationToken.None);

        Assert.Equal(new DuplicateCleanup(0, 0, UniqueIndexPresent: true), cleanup);
        Assert.Equal(10, await Store.CountAsync(CancellationToken.None));
    }

    /// <summary>A dossier shaped like an <c>/alldossiers</c> record (PROTOCOLS.md).</summary>
    protected static DossierDocument Dossier(
        long id, string fullName, string category, long netWorth = 250_000_000, string? firstName = null, string? lastName = null)
    {
        var parts = fullName.Split(' ', 2);
        var json = new JsonObject
        {
            ["ID"] = id,
            ["dossierType"] = "person",
            ["dossierCategory"] = category,
            ["firstName"] = firstName ?? parts[0],
            ["lastName"] = lastName ?? (parts.Length > 1 ? parts[1] : string.Empty),
            ["fullName"] = fullName,
            ["netWorth"] = netWorth,
            ["netWorthCurrency"] = "USD",
            ["primaryCompany"] = "Doe Holdings AG",
            ["position"] = "Chair",
            ["country"] = "CH",
            ["interests"] = new JsonArray("sailing", "art"),
            ["lastModified"] = "2025-01-31",
        };
        return DossierDocument.FromJson(json.ToJsonString());
    }
}
