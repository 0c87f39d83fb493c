using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors;

/// <summary>
/// The one way a connector is wired, in production and in tests alike: its options under a name (one per
/// credential: a WealthX feed, a bank connection), bound and checked at start by its validator, and a named
/// <see cref="HttpClient"/> per name from the HTTP client factory.
/// </summary>
/// <remarks>
/// The HttpClient's own timeout is switched off: each connector bounds every call itself (its options'
/// <c>Timeout</c>), so that bound is the only one and a timeout can be told apart from the caller's cancellation. No
/// resilience handler is added: the job runtime retries, backs off, honours Retry-After and spaces the calls.
/// </remarks>
public static class ConnectorRegistration
{
    /// <summary>
    /// Registers the options <typeparamref name="TOptions"/> named <paramref name="name"/> (configured by
    /// <paramref name="bind"/>, validated on start by <typeparamref name="TValidator"/>) and the named HttpClient
    /// <see cref="HttpClientName"/>(<paramref name="upstream"/>, <paramref name="name"/>).
    /// </summary>
    public static IHttpClientBuilder AddConnector<TOptions, TValidator>(
        this IServiceCollection services, string upstream, string name, Action<TOptions> bind)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bind);
        services.AddOptions<TOptions>(name).Configure(bind).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services.AddHttpClient(HttpClientName(upstream, name), http => http.Timeout = Timeout.InfiniteTimeSpan);
    }

    /// <summary>The HttpClient of an upstream's options named <paramref name="name"/>: <c>wealthx</c>, <c>wealthx:eu</c>.</summary>
    public static string HttpClientName(string upstream, string name) =>
        string.IsNullOrEmpty(name) ? upstream : $"{upstream}:{name}";

    /// <summary>The named HttpClient and options of <paramref name="name"/>, for a connector's constructor.</summary>
    public static (HttpClient Http, IOptions<TOptions> Options) Resolve<TOptions>(IServiceProvider services, string upstream, string name)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(upstream, name));
        var options = Microsoft.Extensions.Options.Options.Create(services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name));
        return (http, options);
    }
}
