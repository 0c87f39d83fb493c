using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Tributary.Storage.Secrets;

/// <summary>
/// The one way Tributary stores a secret it must use again later (a webhook's signing secret; bank and platform
/// tokens): ASP.NET Core Data Protection with its key ring in PostgreSQL, sealed by <c>DataProtection:KeyRingKey</c>.
/// Store what <see cref="ProtectAsync"/> returns; <see cref="UnprotectAsync"/> gives the secret back on any process
/// with the same database and key.
/// </summary>
/// <remarks>
/// <para>
/// Each kind of secret has its own <em>purpose</em> string (e.g. <c>WebhookStore.SecretPurpose</c>): a value
/// protected for one purpose does not unprotect for another, so a token column copied into a webhook row is useless.
/// </para>
/// <para>
/// Before the first use in a process the key ring is read (and, when empty, its first key created) under a
/// PostgreSQL advisory lock. Without it, replicas starting together on an empty ring would each create a key and
/// could not read each other's secrets until their cached rings expire (a day). The same step checks that the
/// stored keys were sealed with this process's key, and says so in a sentence when they were not.
/// </para>
/// </remarks>
public sealed partial class SecretProtector : IDisposable
{
    /// <summary>The Data Protection application name: isolates Tributary's payloads from any other app's on the same ring.</summary>
    public const string ApplicationName = "tributary";

    /// <summary>The advisory lock held while the key ring is first read or created: the ASCII bytes of "TribKeys".</summary>
    public const long KeyRingLockKey = 0x5472_6962_4B65_7973;

    private readonly IDataProtectionProvider _provider;
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresXmlRepository _repository;
    private readonly KeyRingKey _key;
    private readonly ILogger<SecretProtector> _logger;
    private readonly ConcurrentDictionary<string, IDataProtector> _protectors = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _readyLock = new(1, 1);
    private volatile bool _ready;

    public SecretProtector(IDataProtectionProvider provider, NpgsqlDataSource dataSource, PostgresXmlRepository repository,
        IOptions<SecretProtectionOptions> options, ILogger<SecretProtector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _dataSource = dataSource;
        _repository = repository;
        _key = KeyRingKey.Parse(options.Value.KeyRingKey);
        _logger = logger;
    }

    /// <summary>The protected form of <paramref name="secret"/>: printable text, safe to store and to dump.</summary>
    /// <exception cref="SecretProtectionException">The key ring cannot be read (another key, or the database).</exception>
    public async Task<string> ProtectAsync(string purpose, string secret, CancellationToken cancellationToken)
    {
        await EnsureKeyRingAsync(cancellationToken);
        try
        {
            return ProtectorFor(purpose).Protect(secret);
        }
        catch (CryptographicException exception)
        {
            throw new SecretProtectionException($"A secret ({purpose}) could not be protected: {exception.Message}", exception);
        }
    }

    /// <summary>The secret that <see cref="ProtectAsync"/> protected for the same <paramref name="purpose"/>.</summary>
    /// <exception cref="SecretProtectionException">
    /// It was protected for another purpose or with a key this ring no longer has, or was altered; the message says
    /// which, never the secret.
    /// </exception>
    public async Task<string> UnprotectAsync(string purpose, string protectedSecret, CancellationToken cancellationToken)
    {
        await EnsureKeyRingAsync(cancellationToken);
        try
        {
            return ProtectorFor(purpose).Unprotect(protectedSecret);
        }
        catch (CryptographicException exception)
        {
            throw new SecretProtectionException($"A stored secret ({purpose}) could not be decrypted: {exception.Message}", exception);
        }
    }

    public void Dispose() => _readyLock.Dispose();

    /// <summary>The sentence for a key ring sealed with another <c>DataProtection:KeyRingKey</c>.</summary>
    public static string OtherKeySentence(string? storedFingerprint, string ownFingerprint) =>
        $"The Data Protection key ring in PostgreSQL (table data_protection_keys) was sealed with another " +
        $"{SecretProtectionOptions.Section}:{nameof(SecretProtectionOptions.KeyRingKey)} (fingerprint {storedFingerprint ?? "none"}) " +
        $"than this process's (fingerprint {ownFingerprint}): give every gateway the same key (run.sh keeps it in .data/keyring-key).";

    private IDataProtector ProtectorFor(string purpose) => _protectors.GetOrAdd(purpose, p => _provider.CreateProtector(p));

    private async Task EnsureKeyRingAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _readyLock.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
            {
                lockCommand.Parameters.AddWithValue("key", KeyRingLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            try
            {
                // Data Protection's repository contract is synchronous: off the caller's thread.
                await Task.Run(() =>
                {
                    VerifySealedWithOwnKey();
                    // Reads the ring, and creates and stores its first key when it has none, while this process holds the lock.
                    _ = _provider.CreateProtector("Tributary.KeyRing.Ready").Protect([]);
                }, cancellationToken);
            }
            catch (CryptographicException exception)
            {
                throw new SecretProtectionException($"The Data Protection key ring could not be read: {exception.Message}", exception);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                unlock.Parameters.AddWithValue("key", KeyRingLockKey);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }

            LogKeyRingReady(_key.Fingerprint);
            _ready = true;
        }
        finally
        {
            _readyLock.Release();
        }
    }

    private void VerifySealedWithOwnKey()
    {
        var foreign = _repository.GetAllElements()
            .SelectMany(element => element.Descendants(KeyRingKeyEncryptor.ElementName))
            .Select(sealedKey => (string?)sealedKey.Attribute(KeyRingKeyEncryptor.FingerprintAttribute) ?? "none")
            .FirstOrDefault(fingerprint => fingerprint != _key.Fingerprint);
        if (foreign is not null)
        {
            throw new SecretProtectionException(OtherKeySentence(foreign, _key.Fingerprint));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection key ring ready (sealed with the key of fingerprint {Fingerprint})")]
    private partial void LogKeyRingReady(string fingerprint);
}
