namespace Tributary.Api.WebConsole;

/// <summary>One series of a bar chart: its name and one value per label.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);
