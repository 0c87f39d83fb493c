using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Tributary.Api.Auth;

namespace Tributary.Api.WebConsole;

/// <summary>
/// The console's only way to data: the gateway's HTTP routes on loopback, with the signed-in user's API key, so the
/// console sees and may do exactly what the key may, and shows the API's own message when it refuses.
/// </summary>
public sealed class ConsoleApiClient(IHttpClientFactory clients, GatewayLoopback loopback, AuthenticationStateProvider authentication)
{
    public const string HttpClientName = "web-console";

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, object? body = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiAnswer> PutAsync(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>Who the API says <paramref name="key"/> belongs to (the sign-in check).</summary>
    public Task<ApiAnswer> MeAsync(string key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "/api/me", null, cancellationToken, key);

    /// <summary>The signed-in user: whether their key is an admin key.</summary>
    public async Task<bool> IsAdminAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.HasClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin);

    /// <summary>
    /// The events of <c>/api/events</c> from the next one on (<c>after=latest</c>) as they come (type and data), until
    /// cancelled; <paramref name="opened"/> runs once the API has accepted the stream, so nothing after it is missed.
    /// </summary>
    public async IAsyncEnumerable<(string Type, string Data)> EventsAsync(Func<Task> opened, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opened);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(loopback.Address, "/api/events?after=latest"));
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, await KeyAsync());
        using var client = clients.CreateClient(HttpClientName);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = ApiAnswer.From(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken)).Problem;
            throw new InvalidOperationException(problem);
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        await opened();
        string? type = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                yield return (type, line["data: ".Length..]);
                type = null;
            }
        }
    }

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, string? key = null)
    {
        key ??= await KeyAsync();
        using var request = new HttpRequestMessage(method, new Uri(loopback.Address, path));
        request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        using var client = clients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, cancellationToken);
        return ApiAnswer.From(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<string> KeyAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(WebConsoleSetup.KeyClaimType)
        ?? throw new InvalidOperationException("No one is signed in to the console.");
}
