namespace Tributary.Storage.Secrets;

/// <summary>A stored secret could not be protected or read back; the message says why and what to do, never the secret.</summary>
public sealed class SecretProtectionException : Exception
{
    public SecretProtectionException(string message) : base(message)
    {
    }

    public SecretProtectionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
