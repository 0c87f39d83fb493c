namespace Tributary.Connectors.AiPlatform;

/// <summary>The platform's analysis of one portfolio section.</summary>
/// <param name="Section">The section analysed, as the platform names it back.</param>
/// <param name="Text">The analysis, in words.</param>
/// <param name="Model">The model that wrote it.</param>
/// <param name="Tokens">The tokens the platform counted for it.</param>
public sealed record AiPlatformAnalysis(string Section, string Text, string Model, int Tokens);
