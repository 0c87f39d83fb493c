namespace Tributary.Api.Errors;

/// <summary>
/// The request's <c>Idempotency-Key</c>: the caller's, or one the gateway makes for the request, so that its own
/// retries after a silo died mid-call (<see cref="ClusterFailover"/>) cannot start the work twice.
/// </summary>
public static class RequestIdempotency
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 200;
    private const string ItemKey = "tributary.idempotency-key";

    /// <summary>The key of this request; the same on every retry of it within the gateway.</summary>
    public static string KeyOf(HttpContext context) => KeyOf(context, out _);

    /// <summary>
    /// The key of this request; <paramref name="made"/> when the gateway made it in this very call: the caller sent none
    /// and this is the request's first attempt, so nothing anywhere can have been created under it yet.
    /// </summary>
    public static string KeyOf(HttpContext context, out bool made)
    {
        ArgumentNullException.ThrowIfNull(context);
        made = false;
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is string key)
        {
            return key;
        }

        var given = context.Request.Headers[Header].ToString();
        made = string.IsNullOrWhiteSpace(given);
        key = made ? $"gateway:{Guid.NewGuid():N}" : given.Trim();
        context.Items[ItemKey] = key;
        return key;
    }

    /// <summary>A validation error for a key the caller sent that cannot be one; null when it is fine or absent.</summary>
    public static Dictionary<string, string[]>? Problem(HttpContext context)
    {
        var given = context.Request.Headers[Header].ToString();
        if (given.Length == 0)
        {
            return null;
        }

        return given.Length > MaxLength || given.Any(char.IsControl)
            ? new Dictionary<string, string[]> { [Header] = [$"At most {MaxLength} printable characters; was {given.Length} characters long."] }
            : null;
    }
}
