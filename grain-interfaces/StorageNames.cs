namespace Tributary;

/// <summary>Names of the Orleans providers every silo registers.</summary>
public static class StorageNames
{
    /// <summary>The one AdoNet grain storage provider used by every grain.</summary>
    public const string GrainState = "tributary";
}
