using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using Npgsql;

namespace Tributary.Storage.Dossiers;

/// <summary>Chooses the dossier store from configuration; the silo and the gateway both call it, so both read the same store.</summary>
public static class DossierStoreRegistration
{
    /// <summary>The MongoDB connection string; with it dossiers live in MongoDB, without it in PostgreSQL.</summary>
    public const string MongoConnectionStringKey = "Mongo:ConnectionString";

    /// <summary>The MongoDB database; default <c>tributary</c> (or the database named in the connection string).</summary>
    public const string MongoDatabaseKey = "Mongo:Database";

    /// <summary>
    /// Registers <see cref="IDossierStore"/>: <see cref="MongoDossierStore"/> when <c>Mongo:ConnectionString</c> is set,
    /// else <see cref="PostgresDossierStore"/> on the registered <see cref="NpgsqlDataSource"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>Mongo:ConnectionString</c> is not a MongoDB URL; the message names it.</exception>
    public static IServiceCollection AddDossierStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        var mongo = configuration[MongoConnectionStringKey];
        if (string.IsNullOrWhiteSpace(mongo))
        {
            services.TryAddSingleton<IDossierStore>(sp => new PostgresDossierStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
            return services;
        }

        MongoUrl url;
        try
        {
            url = MongoUrl.Create(mongo);
        }
        catch (MongoConfigurationException exception)
        {
            // The message of the driver may quote the URL, and with it a password: name the setting only.
            throw new InvalidOperationException($"Configuration error: {MongoConnectionStringKey} must be a MongoDB URL such as mongodb://localhost:27017/tributary.", exception);
        }

        var database = configuration[MongoDatabaseKey] ?? url.DatabaseName ?? "tributary";
        services.TryAddSingleton<IMongoClient>(_ => new MongoClient(url));
        services.TryAddSingleton<IDossierStore>(sp => new MongoDossierStore(sp.GetRequiredService<IMongoClient>().GetDatabase(database), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Which store <see cref="AddDossierStore"/> picks, for logs and status pages.</summary>
    public static string Describe(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration?[MongoConnectionStringKey]) ? "postgresql" : "mongodb";
}
