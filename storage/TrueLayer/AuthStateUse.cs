namespace Tributary.Storage.TrueLayer;

/// <summary>What consuming an OAuth <c>state</c> found: its owner when it was valid, else why it was refused.</summary>
/// <param name="Owner">The user the state was issued to; set only when <paramref name="Problem"/> is null.</param>
public sealed record AuthStateUse(string? Owner, AuthStateProblem? Problem)
{
    /// <summary>The state was valid and is now used up.</summary>
    public bool Succeeded => Problem is null;
}
