namespace Tributary.Storage.Vestr;

/// <summary>The fee types Vestr books (the <c>fee_type</c> check of <c>vestr_fee_records</c>).</summary>
public static class FeeTypes
{
    public const string Management = "MANAGEMENT";
    public const string Performance = "PERFORMANCE";
    public const string Custody = "CUSTODY";

    /// <summary>Every fee type, in the order summaries list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Custody, Management, Performance];
}
