using System.Text.Json.Serialization;

namespace Tributary.Simulators.Dropbox;

/// <summary>Source-generated serialization of Dropbox payloads in their snake_case; absent fields are left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DropboxEntry))]
[JsonSerializable(typeof(DropboxTokenReply))]
[JsonSerializable(typeof(DropboxOAuthError))]
[JsonSerializable(typeof(ListFolderReply))]
[JsonSerializable(typeof(DeleteReply))]
[JsonSerializable(typeof(SessionStartReply))]
[JsonSerializable(typeof(AsyncJobReply))]
[JsonSerializable(typeof(DeleteBatchCheckReply))]
public sealed partial class DropboxJsonContext : JsonSerializerContext;
