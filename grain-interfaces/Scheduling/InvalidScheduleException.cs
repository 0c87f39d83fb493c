namespace Tributary.Scheduling;

/// <summary>A schedule change was refused; <see cref="Errors"/> names each field and says why (the API's 400).</summary>
[GenerateSerializer, Alias("Tributary.Scheduling.InvalidScheduleException")]
public sealed class InvalidScheduleException : Exception
{
    public InvalidScheduleException()
    {
    }

    public InvalidScheduleException(string message)
        : base(message)
    {
    }

    public InvalidScheduleException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public InvalidScheduleException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))) =>
        Errors = new Dictionary<string, string[]>(errors);

    /// <summary>The fields of a schedule change, in the order their problems are reported.</summary>
    public static IReadOnlyList<string> Fields => FieldOrder;

    private static readonly string[] FieldOrder = ["cron", "timeZone", "misfire", "maxCatchUp"];

    /// <summary>Field (<c>cron</c>, <c>timeZone</c>, <c>misfire</c>, <c>maxCatchUp</c>) to its problems, each a sentence.</summary>
    [Id(0)]
    public Dictionary<string, string[]> Errors { get; init; } = [];

    /// <summary>
    /// The refusal of <paramref name="errors"/> and <paramref name="field"/>'s <paramref name="problem"/>, in the order of
    /// <see cref="Fields"/>: for a field read before the rest are checked (the API reads the misfire policy's text).
    /// </summary>
    public static InvalidScheduleException With(IReadOnlyDictionary<string, string[]> errors, string field, string problem)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var all = new Dictionary<string, string[]>(errors, StringComparer.Ordinal) { [field] = [problem] };
        return new InvalidScheduleException(all
            .OrderBy(e => Array.IndexOf(FieldOrder, e.Key) is var at and >= 0 ? at : int.MaxValue)
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
    }
}
