using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MongoDB.Driver;
using Npgsql;

namespace Tributary.Storage.Dossiers;

/// <summary>Chooses the dossier store from configuration; the silo and the gateway both call it, so both read the same stores.</summary>
public static class DossierStoreRegistration
{
    /// <summary>The MongoDB connection string; with it dossiers live in MongoDB, without it in PostgreSQL.</summary>
    public const string MongoConnectionStringKey = "Mongo:ConnectionString";

    /// <summary>The MongoDB database; default <c>tributary</c> (or the database named in the connection string).</summary>
    public const string MongoDatabaseKey = "Mongo:Database";

    /// <summary>
    /// Registers <see cref="DossierStores"/> (a store per WealthX feed) and <see cref="IDossierStore"/> (the default
    /// feed's): on MongoDB when <c>Mongo:ConnectionString</c> is set, else on the registered <see cref="NpgsqlDataSource"/>.
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
            services.TryAddSingleton(sp => new DossierStores(table =>
                new PostgresDossierStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), table.Postgres)));
        }
        else
        {
            MongoUrl url;
            try
            {
                url = MongoUrl.Create(mongo);
            }
            catch (MongoConfigurationException exception)
            {
                // The driver's message may quote the URL, and with it a password: name the setting only.
                _ = exception;
                throw new Microsoft.Extensions.Options.OptionsValidationException(MongoConnectionStringKey, typeof(string),
                    [$"{MongoConnectionStringKey} must be a MongoDB URL such as mongodb://localhost:27017/tributary."]);
            }

            var database = configuration[MongoDatabaseKey] ?? url.DatabaseName ?? "tributary";
            services.TryAddSingleton<IMongoClient>(_ => new MongoClient(url));
            services.TryAddSingleton(sp => new DossierStores(table =>
                new MongoDossierStore(sp.GetRequiredService<IMongoClient>().GetDatabase(database), sp.GetRequiredService<TimeProvider>(), table.Mongo)));
        }

        services.TryAddSingleton(sp => sp.GetRequiredService<DossierStores>().For(DossierStores.DefaultFeed));
        return services;
    }

    /// <summary>Which store <see cref="AddDossierStore"/> picks, for logs and status pages.</summary>
    public static string Describe(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration?[MongoConnectionStringKey]) ? "postgresql" : "mongodb";
}

/// <summary>
/// One dossier store per WealthX feed, so feeds never mix their dossiers: the feed <c>default</c> keeps table
/// <c>wealthx_dossiers</c> / collection <c>dossiers</c>; feed <c>f</c> gets <c>wealthx_dossiers_f</c> / <c>dossiers_f</c>
/// ('-' in a feed name becomes '_').
/// </summary>
public sealed class DossierStores(Func<DossierStoreNames, IDossierStore> create)
{
    public const string DefaultFeed = "default";

    private readonly ConcurrentDictionary<string, IDossierStore> _stores = new(StringComparer.Ordinal);

    /// <summary>The feed's store (made once per feed).</summary>
    public IDossierStore For(string feed) => _stores.GetOrAdd(feed, f => create(NamesOf(f)));

    /// <summary>Where the feed's dossiers live.</summary>
    public static DossierStoreNames NamesOf(string feed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(feed);
        if (feed == DefaultFeed)
        {
            return new DossierStoreNames(PostgresDossierStore.DefaultTable, MongoDossierStore.CollectionName);
        }

        var suffix = feed.Replace('-', '_');
        return new DossierStoreNames($"{PostgresDossierStore.DefaultTable}_{suffix}", $"{MongoDossierStore.CollectionName}_{suffix}");
    }
}

/// <summary>A feed's PostgreSQL table and MongoDB collection.</summary>
public sealed record DossierStoreNames(string Postgres, string Mongo);
