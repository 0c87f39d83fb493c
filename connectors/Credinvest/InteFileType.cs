namespace Tributary.Connectors.Credinvest;

/// <summary>The two INTE reports Credinvest publishes per account.</summary>
public enum InteFileType
{
    /// <summary><c>INTE100F</c>.</summary>
    Inte100F,

    /// <summary><c>INTE400F</c>.</summary>
    Inte400F,
}
