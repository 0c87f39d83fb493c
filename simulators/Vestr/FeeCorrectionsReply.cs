namespace Tributary.Simulators.Vestr;

/// <summary>Reply of <c>POST /_admin/vestr/corrections</c>.</summary>
public sealed record FeeCorrectionsReply(IReadOnlyList<FeeCorrection> Corrections);
