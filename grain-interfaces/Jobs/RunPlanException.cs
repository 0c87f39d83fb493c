namespace Tributary.Jobs;

/// <summary>
/// A run could not be planned because its upstream failed (the relay's SFTP listing): the upstream's sentence, carried
/// across silos as our own type, and whether trying again later may help. Thrown by a trigger; nothing was created.
/// </summary>
[GenerateSerializer, Alias("Tributary.Jobs.RunPlanException")]
public sealed class RunPlanException : Exception
{
    public RunPlanException()
    {
    }

    public RunPlanException(string message)
        : base(message)
    {
    }

    public RunPlanException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public RunPlanException(string message, bool isTransient)
        : base(message) => IsTransient = isTransient;

    /// <summary>True when the upstream called its failure passing (a refused connection, a timeout): a retry may work.</summary>
    [Id(0)]
    public bool IsTransient { get; init; }
}
