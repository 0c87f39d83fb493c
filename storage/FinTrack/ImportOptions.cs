using Microsoft.Extensions.Options;

namespace Tributary.Storage.FinTrack;

/// <summary>How much one import may be. Section <c>Imports</c>.</summary>
/// <remarks>
/// The bounds keep a request's cost flat whatever is sent: the body is read as a stream, reading stops past
/// <see cref="MaxRows"/>, and at most <see cref="MaxErrorsListed"/> errors are kept (all are counted).
/// </remarks>
public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>Rows one import may hold; a body with more is refused whole (split it).</summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>Bytes one import body may be; a larger body is refused with 413 before it is read.</summary>
    public long MaxBodyBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Errors listed in a refusal: the first ones found; the total is counted beyond them.</summary>
    public int MaxErrorsListed { get; set; } = 100;
}

/// <summary>Checks <see cref="ImportOptions"/> at start: every problem a sentence naming the setting.</summary>
public sealed class ImportOptionsValidator : IValidateOptions<ImportOptions>
{
    public ValidateOptionsResult Validate(string? name, ImportOptions options)
    {
        var problems = new List<string>();
        if (options.MaxRows is < 1 or > 10_000_000)
        {
            problems.Add($"{ImportOptions.Section}:MaxRows must be 1..10000000, was {options.MaxRows}.");
        }

        if (options.MaxBodyBytes is < 1_024 or > 1_073_741_824)
        {
            problems.Add($"{ImportOptions.Section}:MaxBodyBytes must be 1024..1073741824 (1 GiB), was {options.MaxBodyBytes}.");
        }

        if (options.MaxErrorsListed is < 1 or > 10_000)
        {
            problems.Add($"{ImportOptions.Section}:MaxErrorsListed must be 1..10000, was {options.MaxErrorsListed}.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>The errors of one import: the first <see cref="ImportOptions.MaxErrorsListed"/> kept, every one counted.</summary>
internal sealed class ImportErrors(int keep)
{
    private readonly List<ImportError> _kept = [];

    /// <summary>Every error found, listed or not.</summary>
    public int Count { get; private set; }

    public IReadOnlyList<ImportError> Kept => _kept;

    public void Add(ImportError error)
    {
        Count++;
        if (_kept.Count < keep)
        {
            _kept.Add(error);
        }
    }
}
