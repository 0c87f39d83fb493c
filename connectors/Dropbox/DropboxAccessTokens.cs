namespace Tributary.Connectors.Dropbox;

/// <summary>
/// The process's cached Dropbox access token: refreshed with the refresh token when missing, about to expire, or
/// refused as expired; one refresh at a time, shared by every <see cref="DropboxClient"/>.
/// </summary>
public sealed class DropboxAccessTokens : IDisposable
{
    /// <summary>A token this close to its expiry is refreshed before use rather than sent.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    /// <summary>
    /// The cached token, or a new one from <paramref name="refresh"/>; <paramref name="refused"/> is a token Dropbox
    /// just refused as expired, never returned again.
    /// </summary>
    internal async Task<string> GetAsync(
        Func<CancellationToken, Task<(string Token, DateTimeOffset ExpiresAt)>> refresh, string? refused, TimeProvider time, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && _token != refused && time.GetUtcNow() < _expiresAt - RefreshMargin)
            {
                return _token;
            }

            (_token, _expiresAt) = await refresh(cancellationToken);
            return _token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
