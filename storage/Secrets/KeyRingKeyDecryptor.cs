using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tributary.Storage.Secrets;

/// <summary>Opens what <see cref="KeyRingKeyEncryptor"/> sealed, with the configured <c>DataProtection:KeyRingKey</c>.</summary>
/// <remarks>
/// Data Protection stores this class's assembly-qualified name in every sealed key and creates it by that name
/// (through its constructor taking <see cref="IServiceProvider"/>) to read the key ring: keep its name, namespace and
/// assembly, or every stored key becomes unreadable.
/// </remarks>
public sealed class KeyRingKeyDecryptor : IXmlDecryptor
{
    private readonly KeyRingKey _key;

    /// <summary>Called by Data Protection with the application's services.</summary>
    public KeyRingKeyDecryptor(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _key = KeyRingKey.Parse(services.GetRequiredService<IOptions<SecretProtectionOptions>>().Value.KeyRingKey);
    }

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var fingerprint = (string?)encryptedElement.Attribute(KeyRingKeyEncryptor.FingerprintAttribute);
        if (fingerprint != _key.Fingerprint)
        {
            throw new CryptographicException(SecretProtector.OtherKeySentence(fingerprint, _key.Fingerprint));
        }

        var plaintext = _key.Open(Convert.FromBase64String(encryptedElement.Value));
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
