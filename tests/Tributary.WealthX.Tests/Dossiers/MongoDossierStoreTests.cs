using MongoDB.Driver;
using Tributary.Storage.Dossiers;

namespace Tributary.WealthX.Tests.Dossiers;

/// <summary>
/// The contract against <see cref="MongoDossierStore"/>, each test in its own database on the server in
/// <c>MONGO_TEST_URI</c> (for example <c>mongodb://localhost:27017</c>); reported skipped when that is unset.
/// </summary>
[RequiresEnvironmentVariable(UriVariable, "no MongoDB server to run the MongoDB dossier store contract against")]
public sealed class MongoDossierStoreTests : DossierStoreContract, IDisposable
{
    public const string UriVariable = "MONGO_TEST_URI";

    private MongoClient? _client;
    private string? _database;

    protected override async Task<IDossierStore> CreateStoreAsync(TimeProvider time)
    {
        _client = new MongoClient(Environment.GetEnvironmentVariable(UriVariable));
        _database = $"tributary_dossiers_{Guid.NewGuid():N}";
        var store = new MongoDossierStore(_client.GetDatabase(_database), time);
        await store.EnsureIndexesAsync();
        return store;
    }

    protected override async Task DisposeStoreAsync()
    {
        if (_client is not null)
        {
            await _client.DropDatabaseAsync(_database);
        }
    }

    public void Dispose() => _client?.Dispose();
}
