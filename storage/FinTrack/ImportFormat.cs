namespace Tributary.Storage.FinTrack;

/// <summary>How an import body is written.</summary>
public enum ImportFormat
{
    /// <summary>A JSON array of objects whose property names are the column names (snake_case).</summary>
    Json,

    /// <summary>RFC 4180 CSV, UTF-8, with a header row naming the columns.</summary>
    Csv,
}
