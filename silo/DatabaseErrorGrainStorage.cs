using Orleans.Storage;
using Tributary.Jobs;

namespace Tributary.Silo;

/// <summary>
/// Grain storage that reports our database's errors as our own serializable exceptions. A grain whose state cannot be
/// read while PostgreSQL is down fails to activate, and that failure goes back to the caller, maybe on another silo or
/// the gateway, outside any grain call filter: with the driver's exception inside, it arrived as a
/// <c>CodecNotFoundException</c> (a 500) instead of "the database is unreachable" (a 503, and a reason to wait).
/// </summary>
internal sealed class DatabaseErrorGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        TranslateAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    /// <summary>The provider initialises itself in the silo's lifecycle; it still does.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private static async Task TranslateAsync(Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception exception) when (DatabaseFault.Portable(exception) is { } portable && !ReferenceEquals(portable, exception))
        {
            throw portable;
        }
    }
}

/// <summary>Wraps a registered grain storage provider in <see cref="DatabaseErrorGrainStorage"/>.</summary>
internal static class DatabaseErrorGrainStorageExtensions
{
    public static ISiloBuilder TranslateDatabaseErrors(this ISiloBuilder silo, string storageName)
    {
        var services = silo.Services;
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, storageName))
            ?? throw new InvalidOperationException($"No grain storage named '{storageName}' is registered to wrap.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(storageName, (provider, key) => new DatabaseErrorGrainStorage(Create(registered, provider, key)));
        return silo;
    }

    private static IGrainStorage Create(ServiceDescriptor registered, IServiceProvider provider, object? key) =>
        registered.KeyedImplementationFactory is { } factory ? (IGrainStorage)factory(provider, key)
        : registered.KeyedImplementationInstance is IGrainStorage instance ? instance
        : (IGrainStorage)ActivatorUtilities.CreateInstance(provider, registered.KeyedImplementationType!);
}
