using System.Text.RegularExpressions;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver;

namespace Tributary.Storage.Dossiers;

/// <summary>
/// The MongoDB dossier store, where the seed's Python script kept them: collection <c>dossiers</c>, the upstream
/// fields at the top level of each document (so existing queries on <c>ID</c>, <c>fullName</c> keep working) plus
/// <c>created_at</c>, <c>updated_at</c>, <c>last_seen_at</c> and <c>content_hash</c>.
/// </summary>
/// <remarks>
/// <para>
/// A page is one unordered <c>BulkWrite</c> of <c>UpdateOne</c> upserts filtered on <c>{ID: id}</c> only, each an
/// update pipeline: <c>$replaceWith</c> the new document (under <c>$literal</c>, so a value like <c>"$5M"</c> is not
/// read as a field path) merged with <c>created_at: $ifNull(old, now)</c>, <c>updated_at: old hash == new hash ? old
/// : now</c> and <c>last_seen_at: now</c>. The decision is made by the server against the stored document, so it is
/// right even when two writers race.
/// </para>
/// <para>
/// Why not filter on <c>{ID, content_hash: {$ne: h}}</c> with upsert: when the hash is equal the filter matches
/// nothing, the upsert inserts a second document with the same ID and the unique index rejects it with a
/// duplicate-key error. Filtering on the unique key alone keeps an upsert race down to the case MongoDB 4.2+ retries
/// by itself (two inserts of the same new ID).
/// </para>
/// <para>
/// The counts come from one read of the stored hashes of the page's IDs before the write (a second round trip, a
/// read only); under concurrent writers of the same IDs they may be off, the stored timestamps are not.
/// </para>
/// </remarks>
public sealed class MongoDossierStore : IDossierStore
{
    /// <summary>The collection the dossiers live in.</summary>
    public const string CollectionName = "dossiers";

    private static readonly string[] MetadataFields = ["_id", "created_at", "updated_at", "last_seen_at", "content_hash"];
    private static readonly JsonWriterSettings RelaxedJson = new() { OutputMode = JsonOutputMode.RelaxedExtendedJson };

    private readonly IMongoCollection<BsonDocument> _collection;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _indexes;

    /// <summary>Creates a store over collection <c>dossiers</c> of <paramref name="database"/>; indexes are created on first use.</summary>
    /// <param name="collection"><see cref="CollectionName"/>, or another feed's collection.</param>
    public MongoDossierStore(IMongoDatabase database, TimeProvider time, string collection = CollectionName)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        _collection = database.GetCollection<BsonDocument>(collection);
        _time = time;
        _indexes = new Lazy<Task>(CreateIndexesAsync);
    }

    /// <summary>Creates the indexes (idempotent): unique <c>ID</c>, <c>created_at</c>, <c>updated_at</c>, <c>dossierCategory</c>, <c>fullName</c>, <c>lastName</c>.</summary>
    public Task EnsureIndexesAsync() => _indexes.Value;

    /// <inheritdoc />
    public async Task<DossierUpsertResult> UpsertPageAsync(IReadOnlyList<DossierDocument> page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rows = DossierPage.LastPerId(page);
        if (rows.Count == 0)
        {
            return new DossierUpsertResult(0, 0, 0);
        }

        await EnsureIndexesAsync();
        var now = DossierPage.Now(_time).UtcDateTime;
        var hashes = rows.Select(r => DossierContentHash.Compute(r.RawJson)).ToList();
        var previous = new Dictionary<long, string?>();
        var stored = await _collection
            .Find(Builders<BsonDocument>.Filter.In("ID", rows.Select(r => r.Id)))
            .Project(Builders<BsonDocument>.Projection.Include("ID").Include("content_hash"))
            .ToListAsync(cancellationToken);
        foreach (var document in stored)
        {
            previous[document["ID"].ToInt64()] = document.GetValue("content_hash", BsonNull.Value) is BsonString hash ? hash.Value : null;
        }

        var writes = new List<WriteModel<BsonDocument>>(rows.Count);
        int inserted = 0, updated = 0, unchanged = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var hash = hashes[i];
            if (!previous.TryGetValue(rows[i].Id, out var old))
            {
                inserted++;
            }
            else if (string.Equals(old, hash, StringComparison.Ordinal))
            {
                unchanged++;
            }
            else
            {
                updated++;
            }

            var content = BsonDocument.Parse(rows[i].RawJson);
            foreach (var field in MetadataFields)
            {
                content.Remove(field);
            }

            var stage = new BsonDocument("$replaceWith", new BsonDocument("$mergeObjects", new BsonArray
            {
                new BsonDocument("$literal", content),
                new BsonDocument
                {
                    { "_id", "$_id" },
                    { "ID", rows[i].Id },
                    { "created_at", new BsonDocument("$ifNull", new BsonArray { "$created_at", now }) },
                    {
                        "updated_at", new BsonDocument("$cond", new BsonArray
                        {
                            new BsonDocument("$eq", new BsonArray { "$content_hash", new BsonDocument("$literal", hash) }),
                            "$updated_at",
                            now,
                        })
                    },
                    { "last_seen_at", now },
                    { "content_hash", new BsonDocument("$literal", hash) },
                },
            }));
            writes.Add(new UpdateOneModel<BsonDocument>(
                Builders<BsonDocument>.Filter.Eq("ID", rows[i].Id),
                Builders<BsonDocument>.Update.Pipeline(PipelineDefinition<BsonDocument, BsonDocument>.Create(stage)))
            {
                IsUpsert = true,
            });
        }

        await _collection.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken);
        return new DossierUpsertResult(inserted, updated, unchanged);
    }

    /// <inheritdoc />
    public async Task<StoredDossier?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var document = await _collection.Find(Builders<BsonDocument>.Filter.Eq("ID", id)).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : Read(document);
    }

    /// <inheritdoc />
    public async Task<DossierSearchPage> SearchAsync(DossierQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var filters = Builders<BsonDocument>.Filter;
        var filter = filters.Empty;
        if (!string.IsNullOrEmpty(query.Name))
        {
            var pattern = new BsonRegularExpression(Regex.Escape(query.Name), "i");
            filter &= filters.Or(filters.Regex("fullName", pattern), filters.Regex("firstName", pattern), filters.Regex("lastName", pattern));
        }

        if (!string.IsNullOrEmpty(query.Category))
        {
            filter &= filters.Eq("dossierCategory", query.Category);
        }

        var items = await _collection.Find(filter)
            .Sort(Builders<BsonDocument>.Sort.Ascending("ID"))
            .Skip(query.Offset)
            .Limit(query.Limit)
            .ToListAsync(cancellationToken);
        var total = await _collection.CountDocumentsAsync(filter, cancellationToken: cancellationToken);
        return new DossierSearchPage(items.Select(Read).ToList(), total);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var result = await _collection.Aggregate(new AggregateOptions { AllowDiskUse = true })
            .Group(new BsonDocument("_id", "$ID"))
            .Count()
            .FirstOrDefaultAsync(cancellationToken);
        return result?.Count ?? 0;
    }

    /// <inheritdoc />
    /// <remarks>
    /// With the unique index on <c>ID</c> in place (this store creates it) nothing is scanned and zero is reported;
    /// only a collection restored without it is searched, keeping the newest copy of each ID.
    /// </remarks>
    public async Task<DuplicateCleanup> CleanupDuplicatesAsync(CancellationToken cancellationToken)
    {
        var indexes = await (await _collection.Indexes.ListAsync(cancellationToken)).ToListAsync(cancellationToken);
        var unique = indexes.Any(index =>
            index.GetValue("unique", false).ToBoolean()
            && index["key"].AsBsonDocument is { ElementCount: 1 } key
            && key.Names.Single() == "ID");
        if (unique)
        {
            return new DuplicateCleanup(0, 0, UniqueIndexPresent: true);
        }

        var groups = await _collection.Aggregate(new AggregateOptions { AllowDiskUse = true })
            .Sort(Builders<BsonDocument>.Sort.Descending("last_seen_at").Descending("updated_at"))
            .Group(new BsonDocument
            {
                { "_id", "$ID" },
                { "copies", new BsonDocument("$push", "$_id") },
                { "count", new BsonDocument("$sum", 1) },
            })
            .Match(new BsonDocument("count", new BsonDocument("$gt", 1)))
            .ToListAsync(cancellationToken);
        var remove = groups.SelectMany(g => g["copies"].AsBsonArray.Skip(1)).ToList();
        if (remove.Count == 0)
        {
            return new DuplicateCleanup(0, 0, UniqueIndexPresent: false);
        }

        var deleted = await _collection.DeleteManyAsync(Builders<BsonDocument>.Filter.In("_id", remove), cancellationToken);
        return new DuplicateCleanup(groups.Count, deleted.DeletedCount, UniqueIndexPresent: false);
    }

    private async Task CreateIndexesAsync()
    {
        var keys = Builders<BsonDocument>.IndexKeys;
        await _collection.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<BsonDocument>(keys.Ascending("ID"), new CreateIndexOptions { Unique = true, Name = "ID_unique" }),
            new CreateIndexModel<BsonDocument>(keys.Ascending("created_at"), new CreateIndexOptions { Name = "created_at" }),
            new CreateIndexModel<BsonDocument>(keys.Ascending("updated_at"), new CreateIndexOptions { Name = "updated_at" }),
            new CreateIndexModel<BsonDocument>(keys.Ascending("dossierCategory"), new CreateIndexOptions { Name = "dossierCategory" }),
            new CreateIndexModel<BsonDocument>(keys.Ascending("fullName"), new CreateIndexOptions { Name = "fullName" }),
            new CreateIndexModel<BsonDocument>(keys.Ascending("lastName"), new CreateIndexOptions { Name = "lastName" }),
        ]);
    }

    private static StoredDossier Read(BsonDocument document)
    {
        var content = document.DeepClone().AsBsonDocument;
        foreach (var field in MetadataFields)
        {
            content.Remove(field);
        }

        var dossier = DossierDocument.FromJson(content.ToJson(RelaxedJson));
        return new StoredDossier(
            dossier,
            new DateTimeOffset(document["created_at"].ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(document["updated_at"].ToUniversalTime(), TimeSpan.Zero),
            new DateTimeOffset(document["last_seen_at"].ToUniversalTime(), TimeSpan.Zero),
            document["content_hash"].AsString);
    }
}
