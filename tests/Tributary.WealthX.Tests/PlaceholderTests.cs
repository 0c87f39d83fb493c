namespace Tributary.WealthX.Tests;

/// <summary>The WealthX suites (dossier store contract, connector) land here.</summary>
internal static class WealthXTestsAssembly;
