namespace Tributary.Simulators.AiPlatform;

/// <summary>One section's analysis: <c>{"section","analysis","model":"sim-analyst-1","tokens"}</c>.</summary>
public sealed record AnalysisReply(string Section, string Analysis, string Model, int Tokens);
