namespace Tributary.Storage.FinTrack;

/// <summary>
/// A deterministic 64-bit FNV-1a-style hash (one step per 32-bit word) of a holdings row's values, stored with the row so a recompute can tell
/// unchanged rows from changed ones without reading their values back.
/// </summary>
/// <remarks>
/// Deterministic across processes and versions (unlike <see cref="HashCode"/>). Decimals hash by their bits, so 1.5
/// and 1.50 differ: at worst an equal value with another scale is rewritten once.
/// </remarks>
internal struct Fingerprint
{
    private const ulong OffsetBasis = 14_695_981_039_346_656_037;
    private const ulong Prime = 1_099_511_628_211;

    private ulong _hash;

    public static Fingerprint Start() => new() { _hash = OffsetBasis };

    public readonly long Value => unchecked((long)_hash);

    public void Add(int value) => _hash = unchecked((_hash ^ (uint)value) * Prime);

    public void Add(long value)
    {
        Add((int)value);
        Add((int)(value >> 32));
    }

    public void Add(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        foreach (var part in bits)
        {
            Add(part);
        }
    }

    public void Add(decimal? value)
    {
        Add(value.HasValue ? 1 : 0);
        if (value is { } present)
        {
            Add(present);
        }
    }

    public void Add(DateOnly value) => Add(value.DayNumber);

    public void Add(DateOnly? value) => Add(value?.DayNumber ?? int.MinValue);

    public void Add(DateTime? value) => Add(value?.Ticks ?? long.MinValue);

    public void Add(string? value)
    {
        Add(value?.Length ?? -1);
        foreach (var c in value ?? string.Empty)
        {
            Add((int)c);
        }
    }
}
