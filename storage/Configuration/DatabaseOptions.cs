namespace Tributary.Storage.Configuration;

/// <summary>Where Tributary's PostgreSQL lives and what a process does with it at start.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// An Npgsql connection string. When empty, <c>ConnectionStrings:Tributary</c> and then the
    /// <c>DATABASE_URL</c> environment variable (<c>postgres://user:password@host:port/database</c>) are used.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The password, put into whichever connection string is used in place of any it holds: the connection string can
    /// then live in plain configuration (a Kubernetes ConfigMap) and only the password in a secret.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>Apply pending migrations when a silo starts (under a lock, so silos may start together).</summary>
    public bool MigrateOnStart { get; set; } = true;
}
