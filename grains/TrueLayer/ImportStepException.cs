namespace Tributary.TrueLayer;

/// <summary>A step failed in a way a later attempt may fix (TrueLayer's 5xx, a timeout, throttling that would not end).</summary>
public sealed class ImportStepException(AccountStep step) : Exception(step?.Error ?? "The account's step failed.")
{
    public AccountStep Step { get; } = step ?? throw new ArgumentNullException(nameof(step));
}
