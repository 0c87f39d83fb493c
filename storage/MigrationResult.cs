namespace Tributary.Storage;

/// <summary>What one run of <see cref="DatabaseMigrator.MigrateAsync"/> found and did.</summary>
/// <param name="Applied">File names of the migrations this run applied, in the order it applied them.</param>
/// <param name="AlreadyApplied">File names of the migrations that were recorded before this run (checksums verified).</param>
public sealed record MigrationResult(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied);
