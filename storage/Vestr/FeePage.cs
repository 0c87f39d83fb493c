namespace Tributary.Storage.Vestr;

/// <summary>A page of fee records.</summary>
/// <param name="NextCursor">Pass as <see cref="FeeQuery.After"/> for the next page; null on the last page.</param>
public sealed record FeePage(IReadOnlyList<FeeRecord> Items, string? NextCursor);
