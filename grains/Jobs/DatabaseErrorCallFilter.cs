namespace Tributary.Jobs;

/// <summary>
/// Grain calls answer our database's errors with our own serializable exceptions (<see cref="DatabaseUnavailableException"/>,
/// <see cref="DatabaseException"/>): the driver's types cannot cross silos (the caller got a <c>CodecNotFoundException</c>
/// instead of the reason), and the gateway needs to tell "the database is unreachable" (503) from a bug.
/// </summary>
public sealed class DatabaseErrorCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception exception) when (DatabaseFault.Portable(exception) is { } portable && !ReferenceEquals(portable, exception))
        {
            throw portable;
        }
    }
}
