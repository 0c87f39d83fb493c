namespace Tributary.Simulators.WealthX;

/// <summary>Which version of a dossier to generate: 0 is the original; each admin revision adds one.</summary>
/// <param name="Number">0 for the original content.</param>
/// <param name="LastModified">The dossier's lastModified date at this revision.</param>
public sealed record DossierRevision(int Number, DateOnly LastModified);
