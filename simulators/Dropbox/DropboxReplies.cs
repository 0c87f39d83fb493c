using System.Text.Json.Serialization;

namespace Tributary.Simulators.Dropbox;

/// <summary><c>{"access_token","token_type":"bearer","expires_in"}</c>.</summary>
public sealed record DropboxTokenReply(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>An OAuth error of the token endpoint: <c>{"error":"invalid_grant","error_description"}</c>.</summary>
public sealed record DropboxOAuthError(string Error, string ErrorDescription);

/// <summary>A page of <c>list_folder</c> or <c>list_folder/continue</c>.</summary>
public sealed record ListFolderReply(IReadOnlyList<DropboxEntry> Entries, string Cursor, bool HasMore);

/// <summary>The reply of <c>delete_v2</c>.</summary>
public sealed record DeleteReply(DropboxEntry Metadata);

/// <summary><c>upload_session/start</c>'s reply.</summary>
public sealed record SessionStartReply(string SessionId);

/// <summary><c>delete_batch</c>'s reply: <c>{".tag":"async_job_id","async_job_id"}</c>.</summary>
public sealed record AsyncJobReply([property: JsonPropertyName(".tag")] string Tag, string AsyncJobId);

/// <summary><c>delete_batch/check</c>'s reply: <c>in_progress</c>, or <c>complete</c> with one entry per path asked.</summary>
public sealed record DeleteBatchCheckReply(
    [property: JsonPropertyName(".tag")] string Tag,
    IReadOnlyList<DeleteBatchEntry>? Entries = null);

/// <summary>One path of a completed batch: <c>success</c> with its metadata, or <c>failure</c> with the lookup error.</summary>
public sealed record DeleteBatchEntry(
    [property: JsonPropertyName(".tag")] string Tag,
    DropboxEntry? Metadata = null,
    DeleteBatchFailure? Failure = null);

/// <summary><c>{".tag":"path_lookup","path_lookup":{".tag":"not_found"}}</c>.</summary>
public sealed record DeleteBatchFailure(
    [property: JsonPropertyName(".tag")] string Tag,
    Tagged PathLookup);
