using System.Text.Json.Serialization;

namespace Tributary.Simulators.WealthX;

/// <summary>
/// One synthetic WealthX dossier. The first fields follow PROTOCOLS.md; the nested content after them is an
/// assumption that gives records the realistic size (4-5 KB of JSON) a client must cope with.
/// </summary>
public sealed record Dossier(
    [property: JsonPropertyName("ID")] int Id,
    string DossierType,
    string DossierCategory,
    string FirstName,
    string LastName,
    string FullName,
    long NetWorth,
    string NetWorthCurrency,
    string PrimaryCompany,
    string Position,
    string Country,
    string LastModified,
    string Gender,
    int BirthYear,
    string Nationality,
    string Industry,
    long LiquidAssets,
    string WealthSource,
    string Biography,
    IReadOnlyList<DossierEducation> Education,
    IReadOnlyList<DossierCareerStep> Career,
    DossierFamily Family,
    IReadOnlyList<string> Interests,
    IReadOnlyList<DossierPhilanthropy> Philanthropy,
    IReadOnlyList<DossierWealthComponent> WealthBreakdown,
    IReadOnlyList<DossierResidence> Residences,
    DossierContact Contact,
    string ResearchNotes);

public sealed record DossierEducation(string Institution, string Degree, string FieldOfStudy, int GraduationYear);

public sealed record DossierCareerStep(string Company, string Position, int FromYear, int? ToYear, string Description);

public sealed record DossierFamily(
    string MaritalStatus,
    DossierRelative? Spouse,
    IReadOnlyList<DossierRelative> Children,
    string? FamilyOffice);

public sealed record DossierRelative(string FullName, int BirthYear, string Occupation);

public sealed record DossierPhilanthropy(string Organization, string Role, string Focus, int SinceYear);

public sealed record DossierWealthComponent(string AssetClass, decimal SharePercent, long ValueUsd, string Description);

public sealed record DossierResidence(string City, string Country, string Type);

public sealed record DossierContact(DossierAddress Office, string Email, string Phone, DossierRelative? Assistant, string PreferredChannel);

public sealed record DossierAddress(string Company, string Street, string City, string PostalCode, string Country);
