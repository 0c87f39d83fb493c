namespace Tributary.Jobs.Tests;

/// <summary>
/// Tests that judge real time between calls (the simulator's request log): they run after the others and alone, so the
/// clusters of parallel tests do not make their callers wake late on a two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "real time";
}
