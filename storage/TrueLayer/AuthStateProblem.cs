namespace Tributary.Storage.TrueLayer;

/// <summary>Why an OAuth <c>state</c> was refused.</summary>
public enum AuthStateProblem
{
    /// <summary>No such state was issued.</summary>
    Unknown,

    /// <summary>The state was consumed before (a replayed callback).</summary>
    AlreadyUsed,

    /// <summary>The state's time ran out before it was used.</summary>
    Expired,
}
