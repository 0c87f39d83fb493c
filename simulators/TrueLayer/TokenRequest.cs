using System.Text.Json;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// The fields of <c>POST /connect/token</c>, read from an <c>application/x-www-form-urlencoded</c> form or a JSON
/// object (TrueLayer accepts both).
/// </summary>
public sealed record TokenRequest(
    string? GrantType,
    string? ClientId,
    string? ClientSecret,
    string? Code,
    string? RedirectUri,
    string? RefreshToken)
{
    /// <summary>The request's fields, or null when the body is neither a form nor a JSON object.</summary>
    public static async Task<TokenRequest?> ReadAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            string? Field(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
            return new TokenRequest(Field("grant_type"), Field("client_id"), Field("client_secret"), Field("code"), Field("redirect_uri"), Field("refresh_token"));
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var root = document.RootElement;
            string? Field(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new TokenRequest(Field("grant_type"), Field("client_id"), Field("client_secret"), Field("code"), Field("redirect_uri"), Field("refresh_token"));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
