using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Tributary.Connectors.Credinvest;
using Tributary.Connectors.Dropbox;
using Tributary.Jobs;
using Tributary.Storage.Relay;

namespace Tributary.FileRelay;

/// <summary>Registers the Credinvest -> Dropbox relay: both connectors, its store, its options and the job.</summary>
public static class RelayDomain
{
    /// <summary>
    /// The relay is on when both ends are configured (<c>Credinvest:Host</c> and <c>Dropbox:AppKey</c>); with one
    /// missing a run could only fail. The Dropbox limiter spaces calls <see cref="RelayOptions.UploadInterval"/> apart
    /// (configuration <c>RateLimits:dropbox:*</c> overrides it).
    /// </summary>
    public static ISiloBuilder AddRelayDomain(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!IsConfigured(configuration))
        {
            return silo;
        }

        var services = silo.Services;
        services.AddCredinvestSftp(configuration);
        services.AddDropboxClient(configuration);
        services.AddRelayStore();
        services.AddOptions<RelayOptions>().Bind(configuration.GetSection(RelayOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RelayOptions>, RelayOptionsValidator>());
        var interval = configuration.GetSection(RelayOptions.Section).Get<RelayOptions>()?.UploadInterval ?? new RelayOptions().UploadInterval;
        services.AddRateLimitDefault(RateLimitDefault.OneCallAfter(RateLimitKey.For(DropboxClient.Upstream, "default"), interval));
        services.AddJob<CredinvestRelayJob>();
        return silo;
    }

    public static bool IsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[$"{CredinvestOptions.Section}:{nameof(CredinvestOptions.Host)}"])
            && !string.IsNullOrWhiteSpace(configuration[$"{DropboxOptions.Section}:{nameof(DropboxOptions.AppKey)}"]);
    }
}
