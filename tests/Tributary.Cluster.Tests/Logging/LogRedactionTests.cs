using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tributary.ServiceDefaults;

namespace Tributary.Cluster.Tests.Logging;

/// <summary>Secrets are masked by the logging layer itself, in every provider, and the log file rolls as configured.</summary>
public sealed class LogRedactionTests
{
    private const string ClientSecret = "tl-client-secret-5f1e2d";
    private const string VestrPassword = "vestr-password-9a8b7c";
    private const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ";
    private const string KeyRingKey = "a2V5LXJpbmcta2V5LWZvci10aGUtbG9nLXRlc3Q=";
    private const string ApiKey = "operator-key-4c3b2a1f0e";
    private const string DatabasePassword = "db-password-77aa88bb";
    private const string AdminKey = "admin-key-0f1e2d3c4b";

    private static readonly string[] Secrets = [ClientSecret, VestrPassword, TotpSecret, KeyRingKey, ApiKey, DatabasePassword, AdminKey];

    [Fact]
    public async Task Every_configured_secret_is_masked_in_messages_values_and_exceptions_of_every_provider_and_the_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"tributary-logs-{Guid.NewGuid():N}");
        var file = Path.Combine(folder, "silo.log");
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TrueLayer:ClientSecret"] = ClientSecret,
                ["Vestr:Password"] = VestrPassword,
                ["Vestr:TotpSecret"] = TotpSecret,
                ["DataProtection:KeyRingKey"] = KeyRingKey,
                ["Auth:ApiKeys:0:Key"] = ApiKey,
                ["TRIBUTARY_ADMIN_KEY"] = AdminKey,
                ["Database:ConnectionString"] = $"Host=127.0.0.1;Port=5432;Username=tributary;Password={DatabasePassword};Database=tributary",
                ["Logging:File:Path"] = file,
                ["Logging:LogLevel:Default"] = "Debug",
            });
            var memory = new MemoryProvider();
            builder.Logging.AddProvider(memory);
            builder.AddServiceDefaults("redaction-test");
            using (var host = builder.Build())
            {
                var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tributary.Test");
                logger.LogWarning("Logging in with {Password} and {Secret}", VestrPassword, ClientSecret);
#pragma warning disable CA2254, CA1873 // Careless callers are the point: an interpolated message, arguments built on the spot.
                logger.LogError(new InvalidOperationException($"refused the TOTP secret {TotpSecret}"), "Failed for {Key}", ApiKey);
                logger.LogDebug($"Connection string {builder.Configuration["Database:ConnectionString"]}, ring {KeyRingKey}, admin {AdminKey}");
                logger.LogInformation("Nothing secret here: {Count} files", 3);
#pragma warning restore CA2254, CA1873
            }

            var written = await File.ReadAllTextAsync(file);
            var seen = string.Join('\n', memory.Lines);
            foreach (var secret in Secrets)
            {
                Assert.False(written.Contains(secret, StringComparison.Ordinal), $"the log file shows {secret}:\n{written}");
                Assert.False(seen.Contains(secret, StringComparison.Ordinal), $"a provider was given {secret}:\n{seen}");
            }

            Assert.Contains("Logging in with *** and ***", written, StringComparison.Ordinal);
            Assert.Contains("refused the TOTP secret ***", written, StringComparison.Ordinal);
            Assert.Contains("Nothing secret here: 3 files", written, StringComparison.Ordinal);
            Assert.Contains("Logging in with *** and ***", seen, StringComparison.Ordinal);
            Assert.Contains("Password=***", seen, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Keeps each line it is given: the message, every structured value and the exception's text.</summary>
    private sealed class MemoryProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new MemoryLogger(Lines);

        public void Dispose()
        {
        }

        private sealed class MemoryLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
                lines.Enqueue($"{formatter(state, exception)} | {values} | {exception}");
            }
        }
    }
}
