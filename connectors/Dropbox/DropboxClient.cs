using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Tributary.Connectors.Dropbox;

/// <summary>
/// A small typed client of the Dropbox HTTP API v2: list a folder, upload (in one request or, above
/// <see cref="DropboxOptions.UploadSessionThreshold"/>, an upload session) with the content hash checked both ways,
/// delete one path or a batch. Register it with <see cref="DropboxServiceCollectionExtensions.AddDropboxClient"/>.
/// </summary>
/// <remarks>
/// <para>
/// The access token is cached (<see cref="DropboxAccessTokens"/>) and refreshed with <see cref="DropboxOptions.RefreshToken"/>;
/// a call refused with <c>expired_access_token</c> refreshes once and is sent once more. Otherwise one attempt per
/// call, bounded by <see cref="DropboxOptions.Timeout"/>, and no retry: the job runtime and the callers retry.
/// </para>
/// <para>
/// Every failure is an <see cref="UpstreamException"/> (upstream <see cref="Upstream"/>): a 429 is transient with
/// <see cref="UpstreamException.RetryAfter"/> from the <c>Retry-After</c> header, else the body's <c>retry_after</c>,
/// else null, and <see cref="UpstreamException.ErrorCode"/> <c>too_many_write_operations</c> (another write to the
/// same folder was under way: do not write one folder in parallel) or <c>too_many_requests</c>; a 409 is Dropbox's
/// route error, its code the error summary (<c>path/not_found</c>, <c>content_hash_mismatch</c>). No message contains
/// the app secret, the refresh token nor an access token.
/// </para>
/// </remarks>
public sealed class DropboxClient
{
    /// <summary>The <see cref="UpstreamException.Upstream"/> of this client's failures.</summary>
    public const string Upstream = "dropbox";

    /// <summary>At most this many paths in one <see cref="DeleteBatchAsync"/>.</summary>
    public const int MaxDeleteBatch = 1000;

    /// <summary>How many times one delete batch is checked before it is reported as still running.</summary>
    public const int MaxDeleteBatchChecks = 600;

    private const string ArgHeader = "Dropbox-API-Arg";
    private const string TokenPath = "oauth2/token";
    private const string S = DropboxOptions.Section;

    private readonly DropboxOptions _options;
    private readonly DropboxAccessTokens _tokens;
    private readonly TimeProvider _time;
    private readonly UpstreamCall _oauth;
    private readonly UpstreamCall _api;
    private readonly UpstreamCall _content;
    private readonly IReadOnlyList<string?> _secrets;

    /// <summary>Made by the HTTP client factory; see <see cref="DropboxServiceCollectionExtensions.AddDropboxClient"/>.</summary>
    public DropboxClient(HttpClient http, IOptions<DropboxOptions> options, DropboxAccessTokens tokens, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _tokens = tokens;
        _time = time;
        _secrets = [_options.AppSecret, _options.RefreshToken];
        _oauth = new UpstreamCall(http, time, Profile(Root(_options.OAuthUrl, "OAuthUrl"), "OAuthUrl"));
        _api = new UpstreamCall(http, time, Profile(Root(_options.ApiUrl, "ApiUrl"), "ApiUrl"));
        _content = new UpstreamCall(http, time, Profile(Root(_options.ContentUrl, "ContentUrl"), "ContentUrl"));
    }

    /// <summary>Every entry directly in the folder <paramref name="path"/> (<c>""</c> or <c>/</c> for the root), following the cursor to the end.</summary>
    /// <exception cref="UpstreamException">A call failed; <c>path/not_found</c> (permanent) when there is no such folder.</exception>
    public async Task<IReadOnlyList<DropboxMetadata>> ListFolderAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var entries = new List<DropboxMetadata>();
        var body = new JsonObject { ["path"] = path == "/" ? string.Empty : path, ["recursive"] = false, ["limit"] = _options.ListLimit };
        var (page, cursor, hasMore) = await RpcAsync("files/list_folder", body, Page, cancellationToken);
        entries.AddRange(page);
        while (hasMore)
        {
            (page, cursor, hasMore) = await RpcAsync("files/list_folder/continue", new JsonObject { ["cursor"] = cursor }, Page, cancellationToken);
            entries.AddRange(page);
        }

        return entries;
    }

    /// <summary>
    /// Uploads <paramref name="length"/> bytes of <paramref name="content"/> to <paramref name="path"/>, in one request
    /// up to <see cref="DropboxOptions.UploadSessionThreshold"/>, else through an upload session in parts of that size.
    /// The content hash is computed here, sent for Dropbox to verify, and checked against the one Dropbox replies with.
    /// </summary>
    /// <param name="overwrite">True to replace a file already there; false (mode <c>add</c>) makes that a <c>path/conflict/file</c> refusal.</param>
    /// <exception cref="ArgumentException">The stream ended before <paramref name="length"/> bytes.</exception>
    /// <exception cref="UpstreamException">A call failed, or the content hash Dropbox stored differs (<c>content_hash_mismatch</c>, transient).</exception>
    public async Task<DropboxMetadata> UploadAsync(string path, Stream content, long length, bool overwrite, CancellationToken cancellationToken = default)
    {
        CheckPath(path);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var threshold = _options.UploadSessionThreshold;
        if (length <= threshold)
        {
            var bytes = await ReadAsync(content, (int)length, cancellationToken);
            var hash = DropboxContentHash.Compute(bytes);
            var argument = Commit(path, overwrite);
            argument["content_hash"] = hash;
            var uploaded = await ContentAsync("files/upload", argument, bytes, Metadata, cancellationToken);
            return Verified(uploaded, hash, path);
        }

        using var hasher = new DropboxContentHash();
        var part = await ReadAsync(content, (int)threshold, cancellationToken);
        hasher.Append(part);
        var sessionId = await ContentAsync("files/upload_session/start", new JsonObject { ["close"] = false }, part, (reply, _) => SessionId(reply), cancellationToken);
        long offset = part.Length;
        while (length - offset > threshold)
        {
            part = await ReadAsync(content, (int)threshold, cancellationToken);
            hasher.Append(part);
            var cursor = new JsonObject { ["session_id"] = sessionId, ["offset"] = offset };
            await ContentAsync("files/upload_session/append_v2", new JsonObject { ["cursor"] = cursor, ["close"] = false }, part, (_, _) => true, cancellationToken);
            offset += part.Length;
        }

        part = await ReadAsync(content, (int)(length - offset), cancellationToken);
        hasher.Append(part);
        var whole = hasher.Finish();
        var finish = new JsonObject
        {
            ["cursor"] = new JsonObject { ["session_id"] = sessionId, ["offset"] = offset },
            ["commit"] = Commit(path, overwrite),
            ["content_hash"] = whole,
        };
        var finished = await ContentAsync("files/upload_session/finish", finish, part, Metadata, cancellationToken);
        return Verified(finished, whole, path);
    }

    /// <summary>Deletes the file or folder (with everything in it) at <paramref name="path"/>; its metadata.</summary>
    /// <exception cref="UpstreamException">The call failed; <c>path_lookup/not_found</c> (permanent) when nothing is there.</exception>
    public Task<DropboxMetadata> DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        CheckPath(path);
        return RpcAsync("files/delete_v2", new JsonObject { ["path"] = path }, (reply, call) => Metadata(Property(reply, "metadata", call), call), cancellationToken);
    }

    /// <summary>
    /// Deletes up to <see cref="MaxDeleteBatch"/> paths in one batch job, checked every
    /// <see cref="DropboxOptions.DeleteBatchPollInterval"/> until complete; one result per path, in order.
    /// </summary>
    /// <exception cref="UpstreamException">A call failed, the job failed, or it was still running after <see cref="MaxDeleteBatchChecks"/> checks (transient).</exception>
    public async Task<IReadOnlyList<DropboxDeleteResult>> DeleteBatchAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count > MaxDeleteBatch)
        {
            throw new ArgumentException($"A delete batch takes at most {MaxDeleteBatch} paths; {paths.Count} were given. Split them.", nameof(paths));
        }

        foreach (var path in paths)
        {
            CheckPath(path);
        }

        if (paths.Count == 0)
        {
            return [];
        }

        var entries = new JsonArray([.. paths.Select(path => (JsonNode)new JsonObject { ["path"] = path })]);
        var state = await RpcAsync("files/delete_batch", new JsonObject { ["entries"] = entries }, (reply, _) => reply.Clone(), cancellationToken);
        string? jobId = null;
        for (var check = 0; ; check++)
        {
            var tag = state.TryGetProperty(".tag", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            switch (tag)
            {
                case "complete":
                    return BatchResults(state, paths);
                case "failed":
                    throw new UpstreamException(
                        Upstream,
                        $"Dropbox failed the delete batch of {paths.Count} path(s) as a whole ({Redact(state.ToString())}). Retry it; if it fails again, delete the paths one by one to find the culprit.",
                        statusCode: 200,
                        isTransient: true,
                        errorCode: "delete_batch_failed");
                case "async_job_id":
                    jobId = String(state, "async_job_id", "files/delete_batch") ?? throw Malformed("files/delete_batch", "async_job_id is missing", null);
                    break;
                case "in_progress":
                    break;
                default:
                    throw Malformed("files/delete_batch", $"the job state is '{tag}', not async_job_id, in_progress, complete or failed", null);
            }

            if (check >= MaxDeleteBatchChecks)
            {
                throw new UpstreamException(
                    Upstream,
                    $"Dropbox's delete batch of {paths.Count} path(s) was still in progress after {MaxDeleteBatchChecks} checks. Retry later: deleting a path already gone is reported per path, not as a failure.",
                    statusCode: 200,
                    isTransient: true,
                    errorCode: "in_progress");
            }

            if (check > 0 && _options.DeleteBatchPollInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.DeleteBatchPollInterval, _time, cancellationToken);
            }

            state = await RpcAsync("files/delete_batch/check", new JsonObject { ["async_job_id"] = jobId }, (reply, _) => reply.Clone(), cancellationToken);
        }
    }

    private IReadOnlyList<DropboxDeleteResult> BatchResults(JsonElement state, IReadOnlyList<string> paths)
    {
        const string Call = "files/delete_batch/check";
        var entries = Property(state, "entries", Call);
        if (entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() != paths.Count)
        {
            throw Malformed(Call, $"the complete job has no list of {paths.Count} entries", null);
        }

        return [.. entries.EnumerateArray().Select((entry, index) => entry.TryGetProperty(".tag", out var tag) && tag.ValueEquals("success")
            ? new DropboxDeleteResult(paths[index], Metadata(Property(entry, "metadata", Call), Call), null)
            : new DropboxDeleteResult(paths[index], null, Failure(entry)))];
    }

    /// <summary><c>path_lookup/not_found</c> from <c>{".tag":"failure","failure":{".tag":"path_lookup","path_lookup":{".tag":"not_found"}}}</c>.</summary>
    private static string Failure(JsonElement entry)
    {
        var parts = new List<string>();
        var node = entry.TryGetProperty("failure", out var failure) ? failure : entry;
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty(".tag", out var tag) && tag.GetString() is { } name)
        {
            parts.Add(name);
            if (!node.TryGetProperty(name, out node))
            {
                break;
            }
        }

        return parts.Count == 0 ? "unknown" : string.Join('/', parts);
    }

    private Task<T> RpcAsync<T>(string route, JsonObject body, Func<JsonElement, string, T> read, CancellationToken cancellationToken)
    {
        var json = body.ToJsonString();
        return SendAsync(
            _api,
            route,
            () => new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            headers: null,
            read,
            cancellationToken);
    }

    private Task<T> ContentAsync<T>(string route, JsonObject argument, byte[] content, Func<JsonElement, string, T> read, CancellationToken cancellationToken)
    {
        var header = argument.ToJsonString();
        return SendAsync(
            _content,
            route,
            () =>
            {
                var body = new ByteArrayContent(content);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return body;
            },
            headers => headers.TryAddWithoutValidation(ArgHeader, header),
            read,
            cancellationToken);
    }

    /// <summary>One call with the cached token; refused as expired, the token is refreshed and the call sent once more.</summary>
    private async Task<T> SendAsync<T>(
        UpstreamCall host, string route, Func<HttpContent> body, Action<HttpRequestHeaders>? headers, Func<JsonElement, string, T> read, CancellationToken cancellationToken)
    {
        string? refused = null;
        for (var attempt = 0; ; attempt++)
        {
            var token = await _tokens.GetAsync(RefreshAsync, refused, _time, cancellationToken);
            try
            {
                return await SendOnceAsync(host, route, body, headers, token, read, cancellationToken);
            }
            catch (UpstreamException exception) when (attempt == 0 && exception.ErrorCode == "expired_access_token")
            {
                refused = token;
            }
        }
    }

    private Task<T> SendOnceAsync<T>(
        UpstreamCall host, string route, Func<HttpContent> body, Action<HttpRequestHeaders>? headers, string token, Func<JsonElement, string, T> read, CancellationToken cancellationToken)
    {
        var status = 0;
        TimeSpan? retryAfter = null;
        return host.SendAsync(
            new UpstreamRequest(HttpMethod.Post, route, $"2/{route}")
            {
                Headers = request =>
                {
                    request.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    headers?.Invoke(request);
                },
                Body = body,
                Secrets = [token],
                Seen = response =>
                {
                    status = (int)response.StatusCode;
                    retryAfter = UpstreamException.ParseRetryAfter(response.Headers.RetryAfter, _time.GetUtcNow());
                },
                Answers = code => code is 401 or 409 or 429,
            },
            async (content, token2) =>
            {
                var text = await content.ReadAsStringAsync(token2);
                if (status is 401 or 409 or 429)
                {
                    throw Refused(route, status, text, retryAfter, token);
                }

                using var document = JsonDocument.Parse(text);
                return read(document.RootElement, route);
            },
            cancellationToken);
    }

    /// <summary>A 401, 409 or 429 in Dropbox's words and ours: the error summary as the code, the advice that fits it.</summary>
    private UpstreamException Refused(string route, int status, string text, TimeSpan? retryAfterHeader, string token)
    {
        string? summary = null;
        string? tag = null;
        string? reason = null;
        int? retryAfterBody = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                summary = root.TryGetProperty("error_summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    tag = error.TryGetProperty(".tag", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    reason = error.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty(".tag", out var rt) ? rt.GetString() : null;
                    retryAfterBody = error.TryGetProperty("retry_after", out var ra) && ra.ValueKind == JsonValueKind.Number && ra.TryGetInt32(out var seconds) ? seconds : null;
                }
            }
        }
        catch (JsonException)
        {
            // Plain text (a proxy's page, a rate limit without JSON): the status decides.
        }

        var code = summary is null ? tag : summary.EndsWith("/..", StringComparison.Ordinal) ? summary[..^3] : summary.TrimEnd('/', '.');
        code = code is null ? null : UpstreamReply.Redact(code, [.. _secrets, token]);
        var call = $"POST {route}";
        switch (status)
        {
            case 429:
            {
                var wait = retryAfterHeader ?? (retryAfterBody is { } body ? TimeSpan.FromSeconds(body) : null);
                var limit = reason ?? tag ?? "too_many_requests";
                var when = wait is { } w ? $"wait {Seconds(w)} s before writing it again" : "Dropbox gave no wait: back off before writing it again";
                var message = limit == "too_many_write_operations"
                    ? $"Dropbox refused {call} with 429 too_many_write_operations: another write to the same folder was under way (namespace lock contention). Do not write one folder in parallel; {when}."
                    : $"Dropbox is rate limiting this app (429 {limit}) on {call}: {(wait is { } v ? $"wait {Seconds(v)} s (Retry-After) before calling again" : "slow down before calling again")}; rate-limited calls count against the limit.";
                return new UpstreamException(Upstream, message, 429, isTransient: true, limit == "too_many_write_operations" ? limit : "too_many_requests", wait);
            }

            case 401:
            {
                var which = tag ?? code ?? "invalid_access_token";
                var message = which == "expired_access_token"
                    ? $"Dropbox refused the access token of {call} as expired (expired_access_token) right after a refresh. Check this host's clock; retry later."
                    : $"Dropbox refused the access token of {call} ({which}): the app's authorization may have been revoked or lacks a scope. Authorize the app again and set {S}:RefreshToken; retrying will not help.";
                return new UpstreamException(Upstream, message, 401, isTransient: false, which);
            }

            default:
            {
                var shown = code ?? "no error summary";
                var (message, transient) = shown switch
                {
                    "content_hash_mismatch" => ($"Dropbox received content for {call} whose hash differs from the one computed here (content_hash_mismatch): it changed on the way. Retry the upload.", true),
                    _ when shown.StartsWith("incorrect_offset", StringComparison.Ordinal) => ($"The upload session of {call} is out of step with Dropbox (incorrect_offset). Retry the upload from the start.", true),
                    _ when shown.StartsWith("payload_too_large", StringComparison.Ordinal) => ($"Dropbox refused {call}: the part sent is too large (payload_too_large). Lower {S}:UploadSessionThreshold (at most 150 MiB).", false),
                    _ when shown.Contains("not_found", StringComparison.Ordinal) => ($"Dropbox found nothing at the path of {call} ({shown}). Check the path; retrying will not help.", false),
                    _ when shown.Contains("conflict", StringComparison.Ordinal) => ($"Dropbox refused {call}: something is already at the path ({shown}). Upload with overwrite, or choose another path; retrying will not help.", false),
                    _ when shown.Contains("not_folder", StringComparison.Ordinal) => ($"Dropbox refused {call}: the path is a file, not a folder ({shown}). Check the path; retrying will not help.", false),
                    _ => ($"Dropbox refused {call} with 409 {shown}. The request does not fit the account's files; retrying will not help.", false),
                };
                return new UpstreamException(Upstream, message, 409, transient, code);
            }
        }
    }

    private async Task<(string Token, DateTimeOffset ExpiresAt)> RefreshAsync(CancellationToken cancellationToken)
    {
        var root = await _oauth.SendAsync(
            new UpstreamRequest(HttpMethod.Post, TokenPath, TokenPath)
            {
                Headers = headers => headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json")),
                Form =
                [
                    new("grant_type", "refresh_token"),
                    new("refresh_token", _options.RefreshToken ?? string.Empty),
                    new("client_id", _options.AppKey ?? string.Empty),
                    new("client_secret", _options.AppSecret ?? string.Empty),
                ],
                Explain = refusal => refusal.Code switch
                {
                    "invalid_grant" => new UpstreamException(
                        Upstream,
                        $"Dropbox refused {S}:RefreshToken (invalid_grant): the app's authorization was revoked or the token is wrong. Authorize the app again and set {S}:RefreshToken; retrying will not help.",
                        refusal.Status,
                        isTransient: false,
                        refusal.Code),
                    "invalid_client" => new UpstreamException(
                        Upstream,
                        $"Dropbox refused the app's credentials (invalid_client): check {S}:AppKey and {S}:AppSecret; retrying will not help.",
                        refusal.Status,
                        isTransient: false,
                        refusal.Code),
                    _ => null,
                },
            },
            async (content, token) =>
            {
                await using var body = await content.ReadAsStreamAsync(token);
                using var document = await JsonDocument.ParseAsync(body, cancellationToken: token);
                return document.RootElement.Clone();
            },
            cancellationToken);
        var now = _time.GetUtcNow();
        var accessToken = String(root, "access_token", TokenPath);
        if (accessToken is not { Length: > 0 })
        {
            throw Malformed(TokenPath, "access_token is missing", null);
        }

        if (!root.TryGetProperty("expires_in", out var expiresIn) || !expiresIn.TryGetInt32(out var seconds) || seconds <= 0)
        {
            throw Malformed(TokenPath, "expires_in is missing or not a whole number of seconds above 0", null);
        }

        return (accessToken, now.AddSeconds(seconds));
    }

    private DropboxMetadata Verified(DropboxMetadata metadata, string hash, string path)
    {
        if (!string.Equals(metadata.ContentHash, hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new UpstreamException(
                Upstream,
                $"Dropbox stored {path} with content hash {metadata.ContentHash ?? "(none)"}, not {hash} as computed here (content_hash_mismatch): the file is not what was sent. Upload it again.",
                statusCode: 200,
                isTransient: true,
                errorCode: "content_hash_mismatch");
        }

        return metadata;
    }

    private static JsonObject Commit(string path, bool overwrite) => new()
    {
        ["path"] = path,
        ["mode"] = overwrite ? "overwrite" : "add",
        ["autorename"] = false,
        ["mute"] = true,
    };

    private (IReadOnlyList<DropboxMetadata> Entries, string Cursor, bool HasMore) Page(JsonElement reply, string call)
    {
        var entries = Property(reply, "entries", call);
        if (entries.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(call, "entries is not a list", null);
        }

        var cursor = String(reply, "cursor", call) ?? throw Malformed(call, "cursor is missing", null);
        var hasMore = Property(reply, "has_more", call);
        if (hasMore.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Malformed(call, "has_more is not a boolean", null);
        }

        return ([.. entries.EnumerateArray().Select(entry => Metadata(entry, call))], cursor, hasMore.GetBoolean());
    }

    private DropboxMetadata Metadata(JsonElement entry, string call)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(call, "an entry is not an object", null);
        }

        var tag = String(entry, ".tag", call) ?? throw Malformed(call, "an entry has no .tag", null);
        var modified = String(entry, "server_modified", call);
        return new DropboxMetadata(
            tag,
            String(entry, "name", call) ?? string.Empty,
            String(entry, "path_lower", call) ?? string.Empty,
            String(entry, "path_display", call) ?? string.Empty,
            String(entry, "id", call),
            String(entry, "rev", call),
            entry.TryGetProperty("size", out var size) && size.TryGetInt64(out var bytes) ? bytes : null,
            String(entry, "content_hash", call),
            modified is not null && DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null);
    }

    private string SessionId(JsonElement reply) =>
        String(reply, "session_id", "files/upload_session/start") ?? throw Malformed("files/upload_session/start", "session_id is missing", null);

    private JsonElement Property(JsonElement item, string name, string call) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? value : throw Malformed(call, $"{name} is missing", null);

    private string? String(JsonElement item, string name, string call)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Malformed(call, $"{name} is not a string", null);
    }

    private UpstreamException Malformed(string call, string why, Exception? inner) => new(
        Upstream,
        $"Dropbox answered POST {call} with a malformed body ({Redact(why)}). This is usually a truncated reply: retry later; if it persists, Dropbox's format has changed and this connector needs updating.",
        statusCode: 200,
        isTransient: true,
        inner: inner);

    private string Redact(string text) => UpstreamReply.Redact(text, _secrets);

    private UpstreamProfile Profile(Uri root, string setting) => new(
        Upstream,
        "Dropbox",
        "Dropbox",
        S,
        root,
        _options.Timeout,
        _secrets,
        status => status switch
        {
            401 or 403 => $"Check {S}:AppKey, {S}:AppSecret and {S}:RefreshToken; retrying will not help.",
            404 => $"Check that {S}:{setting} is the host root (such as http://127.0.0.1:5090/dropbox/ for the simulators); retrying will not help.",
            _ => null,
        },
        "The request itself is wrong (a path Dropbox does not accept, say); retrying will not help.",
        Malformed,
        UrlSetting: setting);

    private static Uri Root(Uri? url, string setting)
    {
        if (url is not { IsAbsoluteUri: true })
        {
            throw new OptionsValidationException(
                S,
                typeof(DropboxOptions),
                [$"{S}:{setting} must be an absolute http or https URL; was '{url?.OriginalString}'."]);
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }

    private static void CheckPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/') || path.Length < 2 || path.EndsWith('/'))
        {
            throw new ArgumentException($"A Dropbox path starts with / and names a file or folder, such as /inbox/report.xlsx; was '{path}'.", nameof(path));
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes, or fails saying the stream was shorter than announced.</summary>
    private static async Task<byte[]> ReadAsync(Stream content, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = await content.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, cancellationToken);
        if (read < count)
        {
            throw new ArgumentException($"The content ended after {read} of the {count} bytes expected: pass the stream's real length.", nameof(content));
        }

        return buffer;
    }

    private static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString(CultureInfo.InvariantCulture);
}
