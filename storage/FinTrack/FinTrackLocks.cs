using Npgsql;

namespace Tributary.Storage.FinTrack;

/// <summary>PostgreSQL advisory lock keys (<c>pg_advisory_xact_lock(bigint)</c>) that serialise FinTrack writers.</summary>
internal static class FinTrackLocks
{
    /// <summary>
    /// Held by every import and by the demo-data load for their whole transaction ("FinTImpt"): checking what is
    /// stored and writing what is new must not interleave with another import of the same ids.
    /// </summary>
    public const long Import = 0x4669_6e54_496d_7074;

    /// <summary>Takes <see cref="Import"/> until the connection's current transaction ends.</summary>
    public static async Task TakeImportLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", Import);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
