namespace Tributary.Storage.TrueLayer;

/// <summary>What one committed chunk added to its account's counters.</summary>
/// <param name="Inserted">Transactions not stored before.</param>
/// <param name="Duplicates">Transactions stored before by another import (or before imports were recorded).</param>
/// <param name="Settled">Of the duplicates, those stored as pending that arrived settled.</param>
public sealed record ChunkCommit(int Inserted, int Duplicates, int Settled);
