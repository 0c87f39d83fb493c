using System.Security.Cryptography;

namespace Tributary.TrueLayer;

/// <summary>Names the silos and the gateway share about bank imports.</summary>
public static class TrueLayerNames
{
    /// <summary>The job of the runtime an import runs as; its run key is the connection.</summary>
    public const string ImportJob = "truelayer_import";

    /// <summary>The Data Protection purpose of a connection's stored tokens: a value protected for it opens for nothing else.</summary>
    public const string TokenPurpose = "Tributary.TrueLayer.Tokens.v1";

    /// <summary>A new connection id: <c>conn_</c> and 20 random letters and digits (never hex-only: such keys collide in AdoNet grain storage).</summary>
    public static string NewConnectionId() => "conn_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 20);
}
