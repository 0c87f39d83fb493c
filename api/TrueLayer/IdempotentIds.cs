using System.Security.Cryptography;
using System.Text;
using Tributary.Api.Errors;

namespace Tributary.Api.TrueLayer;

/// <summary>
/// Ids of what a POST creates, made from the request's idempotency key (the caller's <c>Idempotency-Key</c>, or the one
/// the gateway makes for its own retries) and the user: a retried request reaches the same grain, which answers with what
/// the first attempt made instead of making it twice. Two users' keys never meet.
/// </summary>
public static class IdempotentIds
{
    public static Guid For(HttpContext context, string kind, string user)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}\n{user}\n{RequestIdempotency.KeyOf(context)}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>A connection id (<c>conn_</c> and 20 letters and digits) from the request's key.</summary>
    public static string ConnectionId(HttpContext context, string user)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"connection\n{user}\n{RequestIdempotency.KeyOf(context)}"));
        return "conn_" + string.Concat(hash.Take(20).Select(b => Alphabet[b % Alphabet.Length]));
    }
}
