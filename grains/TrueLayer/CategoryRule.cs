namespace Tributary.TrueLayer;

/// <summary>One categorisation rule: <see cref="Contains"/> found in the <see cref="Field"/> gives <see cref="Category"/>.</summary>
public sealed class CategoryRule
{
    /// <summary><c>merchant</c> (the merchant name) or <c>description</c>.</summary>
    public string Field { get; set; } = "merchant";

    public string Contains { get; set; } = string.Empty;

    public string Category { get; set; } = string.Empty;
}
