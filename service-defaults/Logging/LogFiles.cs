using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Tributary.ServiceDefaults.Logging;

/// <summary>
/// The process's log files and the masking of secrets in every log line. With <c>Logging:File:Path</c> set, logs also go
/// to a file there (Serilog's file sink), rolled at <c>Logging:File:MaxBytes</c> (10 MB) with <c>Logging:File:Keep</c>
/// (5) files kept; levels follow <c>Logging:LogLevel:*</c> as for the console (<c>Debug</c> for verbose).
/// Every provider (console, file, OpenTelemetry) is wrapped by <see cref="RedactingLoggerProvider"/>.
/// </summary>
public static class LogFiles
{
    public const string PathSetting = "Logging:File:Path";
    public const string MaxBytesSetting = "Logging:File:MaxBytes";
    public const string KeepSetting = "Logging:File:Keep";

    public const long DefaultMaxBytes = 10 * 1024 * 1024;
    public const int DefaultKeep = 5;

    /// <summary>Adds the log file (when configured), then masks secrets in every provider registered so far.</summary>
    public static void AddLogFilesAndRedaction(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (configuration[PathSetting] is { Length: > 0 } path)
        {
            var maxBytes = configuration.GetValue(MaxBytesSetting, DefaultMaxBytes);
            var keep = configuration.GetValue(KeepSetting, DefaultKeep);
            if (maxBytes < 1024 || keep < 1)
            {
                throw new InvalidOperationException($"{MaxBytesSetting} must be at least 1024 and {KeepSetting} at least 1; were {maxBytes} and {keep}.");
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var file = new LoggerConfiguration()
                .MinimumLevel.Verbose()
                .WriteTo.File(path, fileSizeLimitBytes: maxBytes, rollOnFileSizeLimit: true, retainedFileCountLimit: keep,
                    outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
                .CreateLogger();
            builder.Logging.AddSerilog(file, dispose: true);
        }

        var redactor = SecretRedactor.From(configuration);
        builder.Services.AddSingleton(redactor);
        foreach (var registered in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList())
        {
            builder.Services.Remove(registered);
            builder.Services.AddSingleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, registered), redactor));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor registered) => registered switch
    {
        { ImplementationInstance: ILoggerProvider instance } => instance,
        { ImplementationFactory: { } factory } => (ILoggerProvider)factory(services),
        { ImplementationType: { } type } => (ILoggerProvider)ActivatorUtilities.CreateInstance(services, type),
        _ => throw new InvalidOperationException($"A logging provider registration of {registered.ServiceType} cannot be wrapped."),
    };
}
