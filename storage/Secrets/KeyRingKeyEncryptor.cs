using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Tributary.Storage.Secrets;

/// <summary>
/// Seals each key of the Data Protection key ring with <see cref="KeyRingKey"/> before the key manager stores it, so
/// the key ring in PostgreSQL (and any dump of it) holds no usable key.
/// </summary>
/// <remarks>
/// The stored element is <c>&lt;keyRingSealed fingerprint="…"&gt;base64&lt;/keyRingSealed&gt;</c>; Data Protection
/// records <see cref="KeyRingKeyDecryptor"/>'s type name beside it to open it again.
/// </remarks>
public sealed class KeyRingKeyEncryptor(KeyRingKey key) : IXmlEncryptor
{
    /// <summary>The name of the sealed element.</summary>
    public const string ElementName = "keyRingSealed";

    /// <summary>The attribute holding <see cref="KeyRingKey.Fingerprint"/> of the key that sealed it.</summary>
    public const string FingerprintAttribute = "fingerprint";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedElement = new XElement(ElementName,
            new XAttribute(FingerprintAttribute, key.Fingerprint),
            new XAttribute("algorithm", "AES-256-GCM"),
            Convert.ToBase64String(key.Seal(plaintext)));
        return new EncryptedXmlInfo(sealedElement, typeof(KeyRingKeyDecryptor));
    }
}
