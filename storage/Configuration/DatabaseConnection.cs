using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Tributary.Storage.Configuration;

/// <summary>Resolves the one PostgreSQL connection string every Tributary process uses.</summary>
public static class DatabaseConnection
{
    public const string UrlVariable = "DATABASE_URL";

    /// <summary>
    /// The connection string from <c>Database:ConnectionString</c>, <c>ConnectionStrings:Tributary</c> or
    /// <c>DATABASE_URL</c>, in that order, with <c>Database:Password</c> as its password when that is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">None is set, or the URL is not a postgres URL.</exception>
    public static string Resolve(IConfiguration configuration)
    {
        var resolved = ResolveWithoutPassword(configuration);
        var password = configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Password)}"];
        return string.IsNullOrEmpty(password) ? resolved : new NpgsqlConnectionStringBuilder(resolved) { Password = password }.ConnectionString;
    }

    private static string ResolveWithoutPassword(IConfiguration configuration)
    {
        var explicitString = configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ConnectionString)}"];
        if (!string.IsNullOrWhiteSpace(explicitString))
        {
            return explicitString;
        }

        var named = configuration.GetConnectionString("Tributary");
        if (!string.IsNullOrWhiteSpace(named))
        {
            return named;
        }

        var url = configuration[UrlVariable];
        if (!string.IsNullOrWhiteSpace(url))
        {
            return FromUrl(url);
        }

        throw new Microsoft.Extensions.Options.OptionsValidationException("Database", typeof(string),
        [
            "No database configured: set Database:ConnectionString (env Database__ConnectionString), " +
            "ConnectionStrings:Tributary, or DATABASE_URL=postgres://user:password@host:port/database.",
        ]);
    }

    /// <summary>Turns <c>postgres://user:password@host:port/database?sslmode=require</c> into an Npgsql connection string.</summary>
    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgres" && uri.Scheme != "postgresql"))
        {
            // The URL may hold a password: never echo it.
            throw new Microsoft.Extensions.Options.OptionsValidationException(UrlVariable, typeof(string),
                [$"{UrlVariable} must look like postgres://user:password@host:port/database."]);
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase)
                && Enum.TryParse<SslMode>(parts[1], ignoreCase: true, out var sslMode))
            {
                builder.SslMode = sslMode;
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection string without its password, for logs and error messages.</summary>
    public static string Redact(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return $"Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username}";
    }
}
