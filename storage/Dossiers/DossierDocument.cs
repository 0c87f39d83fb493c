using System.Globalization;
using System.Text.Json;

namespace Tributary.Storage.Dossiers;

/// <summary>One WealthX dossier as the API sent it, with the fields the store indexes.</summary>
/// <param name="Id">The upstream <c>ID</c>: the key the store upserts by.</param>
/// <param name="RawJson">The whole dossier object as JSON; stored as it is.</param>
/// <param name="Category"><c>dossierCategory</c> (for example <c>UHNW</c>).</param>
/// <param name="FullName"><c>fullName</c>.</param>
/// <param name="FirstName"><c>firstName</c>.</param>
/// <param name="LastName"><c>lastName</c>.</param>
/// <param name="LastModified"><c>lastModified</c> (<c>yyyy-MM-dd</c>), when present and valid.</param>
public sealed record DossierDocument(
    long Id,
    string RawJson,
    string? Category,
    string? FullName,
    string? FirstName,
    string? LastName,
    DateOnly? LastModified)
{
    /// <summary>Reads a dossier object of an <c>/alldossiers</c> reply.</summary>
    /// <exception cref="FormatException">The object has no numeric <c>ID</c>; the message names the problem.</exception>
    public static DossierDocument FromJson(JsonElement dossier)
    {
        if (dossier.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"A dossier must be a JSON object, was {dossier.ValueKind}.");
        }

        if (!dossier.TryGetProperty("ID", out var idElement) || !TryReadId(idElement, out var id))
        {
            throw new FormatException("A dossier has no numeric \"ID\"; the WealthX reply is malformed.");
        }

        return new DossierDocument(
            id,
            dossier.GetRawText(),
            ReadString(dossier, "dossierCategory"),
            ReadString(dossier, "fullName"),
            ReadString(dossier, "firstName"),
            ReadString(dossier, "lastName"),
            ReadDate(dossier, "lastModified"));
    }

    /// <summary>Parses <paramref name="json"/> and reads it as with <see cref="FromJson(JsonElement)"/>.</summary>
    public static DossierDocument FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    private static bool TryReadId(JsonElement element, out long id)
    {
        id = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out id),
            JsonValueKind.String => long.TryParse(element.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id),
            _ => false,
        };
    }

    private static string? ReadString(JsonElement dossier, string name) =>
        dossier.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateOnly? ReadDate(JsonElement dossier, string name) =>
        ReadString(dossier, name) is { } text
        && DateOnly.TryParseExact(text.Length >= 10 ? text[..10] : text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
}
