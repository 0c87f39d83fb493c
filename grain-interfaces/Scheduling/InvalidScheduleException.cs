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

    /// <summary>Field (<c>cron</c>, <c>timeZone</c>, <c>misfire</c>, <c>maxCatchUp</c>) to its problems, each a sentence.</summary>
    [Id(0)]
    public Dictionary<string, string[]> Errors { get; init; } = [];
}
