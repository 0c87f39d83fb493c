using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Tests.Dropbox;

/// <summary>The Dropbox simulator over real HTTP: OAuth, bearer, the tree, uploads, listings, deletes, contention, admin.</summary>
public sealed class DropboxSimulatorTests
{
    [Fact]
    public async Task The_refresh_grant_gives_a_bearer_token_for_four_hours()
    {
        await using var dropbox = await DropboxInstance.StartAsync();

        using var ok = await dropbox.TokenAsync();
        using var badSecret = await dropbox.TokenAsync(secret: "wrong");
        using var badRefresh = await dropbox.TokenAsync(refreshToken: "wrong");
        var reply = await DropboxInstance.ReadAsync(ok, HttpStatusCode.OK);

        Assert.Equal("bearer", reply.GetProperty("token_type").GetString());
        Assert.Equal(14400, reply.GetProperty("expires_in").GetInt32());
        Assert.StartsWith("sl.", reply.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_client", (await DropboxInstance.ReadAsync(badSecret, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await DropboxInstance.ReadAsync(badRefresh, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_client_may_authenticate_with_http_basic()
    {
        await using var dropbox = await DropboxInstance.StartAsync();

        using var good = await TokenWithBasicAsync(dropbox, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DropboxInstance.AppKey}:{DropboxInstance.AppSecret}")));
        using var garbled = await TokenWithBasicAsync(dropbox, "%%%");

        Assert.Equal("bearer", (await DropboxInstance.ReadAsync(good, HttpStatusCode.OK)).GetProperty("token_type").GetString());
        Assert.Equal("invalid_client", (await DropboxInstance.ReadAsync(garbled, HttpStatusCode.BadRequest)).GetProperty("error").GetString());
    }

    private static Task<HttpResponseMessage> TokenWithBasicAsync(DropboxInstance dropbox, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/dropbox/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = DropboxInstance.RefreshToken }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Basic {credentials}");
        return dropbox.Http.SendAsync(request);
    }

    [Fact]
    public async Task Tokens_expire_by_the_clock_and_by_the_admin()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var first = await dropbox.AccessTokenAsync();

        using var none = await dropbox.RpcAsync("files/list_folder", """{"path":""}""", null);
        dropbox.Clock.Advance(TimeSpan.FromSeconds(14400));
        using var late = await dropbox.RpcAsync("files/list_folder", """{"path":""}""", first);
        var second = await dropbox.AccessTokenAsync();
        using var fresh = await dropbox.RpcAsync("files/list_folder", """{"path":""}""", second);
        using var expire = await dropbox.Http.PostAsync("/_admin/dropbox/expire-tokens", content: null);
        using var expired = await dropbox.RpcAsync("files/list_folder", """{"path":""}""", second);

        Assert.Equal(
            """{"error_summary":"invalid_access_token/..","error":{".tag":"invalid_access_token"}}""",
            await DropboxInstance.TextAsync(none, HttpStatusCode.Unauthorized));
        Assert.Equal(
            """{"error_summary":"expired_access_token/..","error":{".tag":"expired_access_token"}}""",
            await DropboxInstance.TextAsync(late, HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(1, (await DropboxInstance.ReadAsync(expire, HttpStatusCode.OK)).GetProperty("expired").GetInt32());
        Assert.Contains("expired_access_token", await DropboxInstance.TextAsync(expired, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listing_pages_by_limit_and_cursor_until_has_more_is_false()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        foreach (var name in new[] { "e.txt", "B.txt", "a.txt", "d.txt", "Sub/c.txt" })
        {
            using var upload = await dropbox.UploadAsync($"/Inbox/{name}", Encoding.UTF8.GetBytes(name), token);
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        var names = new List<string>();
        var hasMore = new List<bool>();
        using var first = await dropbox.RpcAsync("files/list_folder", """{"path":"/inbox","recursive":false,"limit":2}""", token);
        var page = await DropboxInstance.ReadAsync(first, HttpStatusCode.OK);
        while (true)
        {
            names.AddRange(page.GetProperty("entries").EnumerateArray().Select(entry => $"{entry.GetProperty(".tag").GetString()}:{entry.GetProperty("path_display").GetString()}"));
            hasMore.Add(page.GetProperty("has_more").GetBoolean());
            if (!hasMore[^1])
            {
                break;
            }

            using var next = await dropbox.RpcAsync("files/list_folder/continue", JsonSerializer.Serialize(new { cursor = page.GetProperty("cursor").GetString() }), token);
            page = await DropboxInstance.ReadAsync(next, HttpStatusCode.OK);
        }

        Assert.Equal(["file:/Inbox/a.txt", "file:/Inbox/B.txt", "file:/Inbox/d.txt", "file:/Inbox/e.txt", "folder:/Inbox/Sub"], names);
        Assert.Equal([true, true, false], hasMore);
    }

    [Fact]
    public async Task Route_errors_are_409_with_dropbox_summaries()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();

        using var missing = await dropbox.RpcAsync("files/list_folder", """{"path":"/nowhere"}""", token);
        using var deleteMissing = await dropbox.RpcAsync("files/delete_v2", """{"path":"/nowhere/x"}""", token);
        using var root = await dropbox.RpcAsync("files/list_folder", """{"path":"/"}""", token);
        using var badCursor = await dropbox.RpcAsync("files/list_folder/continue", """{"cursor":"nonsense"}""", token);
        using var unknown = await dropbox.RpcAsync("files/copy_v2", "{}", token);

        Assert.Equal(
            """{"error_summary":"path/not_found/..","error":{".tag":"path","path":{".tag":"not_found"}}}""",
            await DropboxInstance.TextAsync(missing, HttpStatusCode.Conflict));
        Assert.Equal(
            """{"error_summary":"path_lookup/not_found/..","error":{".tag":"path_lookup","path_lookup":{".tag":"not_found"}}}""",
            await DropboxInstance.TextAsync(deleteMissing, HttpStatusCode.Conflict));
        Assert.Equal(
            "Error in call to API function \"files/list_folder\": request body: path: Specify the root folder as an empty string rather than as \"/\".",
            await DropboxInstance.TextAsync(root, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        Assert.Equal("Unknown API function: \"POST /dropbox/api/2/files/copy_v2\"", await DropboxInstance.TextAsync(unknown, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Upload_replies_with_dropboxs_content_hash_and_verifies_a_sent_one()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        var content = DropboxInstance.Pattern((9 * 1024 * 1024) + 3);

        using var upload = await dropbox.UploadAsync("/big.bin", content, token, contentHash: "f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53");
        using var empty = await dropbox.UploadAsync("/empty.bin", [], token);
        using var mismatch = await dropbox.UploadAsync("/other.bin", [1, 2, 3], token, contentHash: "f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53");
        var metadata = await DropboxInstance.ReadAsync(upload, HttpStatusCode.OK);

        Assert.Equal("file", metadata.GetProperty(".tag").GetString());
        Assert.Equal("big.bin", metadata.GetProperty("name").GetString());
        Assert.Equal((9 * 1024 * 1024) + 3, metadata.GetProperty("size").GetInt64());
        Assert.Equal("f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53", metadata.GetProperty("content_hash").GetString());
        Assert.Equal("2026-11-25T14:30:00Z", metadata.GetProperty("server_modified").GetString());
        Assert.Equal(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            (await DropboxInstance.ReadAsync(empty, HttpStatusCode.OK)).GetProperty("content_hash").GetString());
        Assert.Equal(
            """{"error_summary":"content_hash_mismatch/..","error":{".tag":"content_hash_mismatch"}}""",
            await DropboxInstance.TextAsync(mismatch, HttpStatusCode.Conflict));
        Assert.Equal(["/big.bin", "/empty.bin"], (await dropbox.AdminAsync()).GetProperty("files").EnumerateArray().Select(file => file.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task Add_conflicts_overwrite_replaces_and_autorename_renames()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        using var first = await dropbox.UploadAsync("/a/report.xlsx", [1], token);
        using var same = await dropbox.UploadAsync("/a/report.xlsx", [1], token);
        using var conflict = await dropbox.UploadAsync("/a/report.xlsx", [2], token);
        using var renamed = await dropbox.UploadAsync("/a/report.xlsx", [2], token, autorename: true);
        using var overwritten = await dropbox.UploadAsync("/A/REPORT.xlsx", [3, 3], token, mode: "overwrite");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(
            """{"error_summary":"path/conflict/file/..","error":{".tag":"path","reason":{".tag":"conflict","conflict":{".tag":"file"}},"upload_session_id":"sim-none"}}""",
            await DropboxInstance.TextAsync(conflict, HttpStatusCode.Conflict));
        Assert.Equal("/a/report (1).xlsx", (await DropboxInstance.ReadAsync(renamed, HttpStatusCode.OK)).GetProperty("path_display").GetString());
        var replaced = await DropboxInstance.ReadAsync(overwritten, HttpStatusCode.OK);
        Assert.Equal("/A/REPORT.xlsx", replaced.GetProperty("path_display").GetString());
        Assert.Equal("/a/report.xlsx", replaced.GetProperty("path_lower").GetString());
        Assert.Equal(2, replaced.GetProperty("size").GetInt64());
        var admin = await dropbox.AdminAsync();
        Assert.Equal(5, admin.GetProperty("writes").GetInt32());
        Assert.Equal(5, admin.GetProperty("writesByFolder").GetProperty("/a").GetInt32());
    }

    [Fact]
    public async Task An_upload_session_appends_at_offsets_and_finishes_into_one_file()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        var content = DropboxInstance.Pattern((9 * 1024 * 1024) + 3);
        var cut1 = 4 * 1024 * 1024;
        var cut2 = 8 * 1024 * 1024;

        using var start = await dropbox.ContentAsync("files/upload_session/start", new { close = false }, new ByteArrayContent(content[..cut1]), token);
        var session = (await DropboxInstance.ReadAsync(start, HttpStatusCode.OK)).GetProperty("session_id").GetString();
        using var wrongOffset = await dropbox.ContentAsync(
            "files/upload_session/append_v2", new { cursor = new { session_id = session, offset = 7 }, close = false }, new ByteArrayContent([]), token);
        using var append = await dropbox.ContentAsync(
            "files/upload_session/append_v2", new { cursor = new { session_id = session, offset = cut1 }, close = false }, new ByteArrayContent(content[cut1..cut2]), token);
        using var finish = await dropbox.ContentAsync(
            "files/upload_session/finish",
            new
            {
                cursor = new { session_id = session, offset = cut2 },
                commit = new { path = "/big/sessions.bin", mode = "add", autorename = false, mute = false },
                content_hash = "f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53",
            },
            new ByteArrayContent(content[cut2..]),
            token);

        Assert.Equal(
            """{"error_summary":"incorrect_offset/..","error":{".tag":"incorrect_offset","correct_offset":4194304}}""",
            await DropboxInstance.TextAsync(wrongOffset, HttpStatusCode.Conflict));
        Assert.Equal("null", await DropboxInstance.TextAsync(append, HttpStatusCode.OK));
        var metadata = await DropboxInstance.ReadAsync(finish, HttpStatusCode.OK);
        Assert.Equal(content.Length, metadata.GetProperty("size").GetInt64());
        Assert.Equal("f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53", metadata.GetProperty("content_hash").GetString());
        Assert.Equal(0, (await dropbox.AdminAsync()).GetProperty("openSessions").GetInt32());
    }

    [Fact]
    public async Task A_delete_batch_is_a_job_in_progress_then_complete()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        using (await dropbox.UploadAsync("/out/1.csv", [1], token))
        using (await dropbox.UploadAsync("/out/2.csv", [2], token))
        {
        }

        using var start = await dropbox.RpcAsync("files/delete_batch", """{"entries":[{"path":"/out/1.csv"},{"path":"/out/missing.csv"},{"path":"/OUT/2.csv"}]}""", token);
        var job = await DropboxInstance.ReadAsync(start, HttpStatusCode.OK);
        var check = JsonSerializer.Serialize(new { async_job_id = job.GetProperty("async_job_id").GetString() });
        using var first = await dropbox.RpcAsync("files/delete_batch/check", check, token);
        using var second = await dropbox.RpcAsync("files/delete_batch/check", check, token);
        using var unknown = await dropbox.RpcAsync("files/delete_batch/check", """{"async_job_id":"dbjid:nope"}""", token);

        Assert.Equal("async_job_id", job.GetProperty(".tag").GetString());
        Assert.Equal("""{".tag":"in_progress"}""", await DropboxInstance.TextAsync(first, HttpStatusCode.OK));
        var done = await DropboxInstance.ReadAsync(second, HttpStatusCode.OK);
        Assert.Equal("complete", done.GetProperty(".tag").GetString());
        Assert.Equal(
            ["success:/out/1.csv", "failure:not_found", "success:/out/2.csv"],
            done.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty(".tag").GetString() == "success"
                ? $"success:{entry.GetProperty("metadata").GetProperty("path_lower").GetString()}"
                : $"failure:{entry.GetProperty("failure").GetProperty("path_lookup").GetProperty(".tag").GetString()}"));
        Assert.Equal(
            """{"error_summary":"invalid_async_job_id/..","error":{".tag":"invalid_async_job_id"}}""",
            await DropboxInstance.TextAsync(unknown, HttpStatusCode.Conflict));
        Assert.Empty((await dropbox.AdminAsync()).GetProperty("files").EnumerateArray());
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(3, 3)]
    public async Task Overlapping_writes_to_one_folder_collide_with_a_429(int setting, int? retryAfter)
    {
        await using var dropbox = await DropboxInstance.StartAsync($"Simulators:Dropbox:ContentionRetryAfterSeconds={setting}");
        var token = await dropbox.AccessTokenAsync();
        var slow = new GatedContent(DropboxInstance.Pattern(100_000), DropboxInstance.Pattern(10));

        var pending = dropbox.ContentAsync("files/upload", new { path = "/inbox/slow.bin", mode = "add" }, slow, token);
        await dropbox.WritesInFlightAsync(1);
        using var collided = await dropbox.UploadAsync("/inbox/fast.bin", [1], token);
        using var elsewhere = await dropbox.UploadAsync("/outbox/fast.bin", [1], token);
        using var delete = await dropbox.RpcAsync("files/delete_v2", """{"path":"/inbox/other.bin"}""", token);
        slow.Release();
        using var finished = await pending;

        var expected = retryAfter is null
            ? """{"error_summary":"too_many_write_operations/..","error":{"reason":{".tag":"too_many_write_operations"}}}"""
            : """{"error_summary":"too_many_write_operations/..","error":{"reason":{".tag":"too_many_write_operations"},"retry_after":3}}""";
        Assert.Equal(expected, await DropboxInstance.TextAsync(collided, HttpStatusCode.TooManyRequests));
        Assert.Equal(retryAfter is null ? null : TimeSpan.FromSeconds(retryAfter.Value), collided.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal(100_010, (await DropboxInstance.ReadAsync(finished, HttpStatusCode.OK)).GetProperty("size").GetInt64());
        var admin = await dropbox.AdminAsync();
        Assert.Equal(2, admin.GetProperty("contended").GetInt32());
        Assert.Equal(0, admin.GetProperty("writesInFlight").GetInt32());
    }

    [Fact]
    public async Task An_injected_429_carries_retry_after_in_header_and_body()
    {
        await using var dropbox = await DropboxInstance.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        await dropbox.AddFaultAsync(new { route = "dropbox.upload", kind = "429", count = 1, retryAfterSeconds = 7 });

        using var limited = await dropbox.UploadAsync("/x.bin", [1], token);
        using var then = await dropbox.UploadAsync("/x.bin", [1], token);

        Assert.Equal(
            """{"error_summary":"too_many_requests/..","error":{"reason":{".tag":"too_many_requests"},"retry_after":7}}""",
            await DropboxInstance.TextAsync(limited, HttpStatusCode.TooManyRequests));
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, then.StatusCode);
    }

    [Fact]
    public async Task Admin_seeds_files_and_resets()
    {
        await using var dropbox = await DropboxInstance.StartAsync();

        using var seeded = await dropbox.Http.PutAsync(
            "/_admin/dropbox/files",
            new StringContent("""{"path":"/Inbox/100-20250131080000-INTE100F.xlsx","content":"aGVsbG8="}""", Encoding.UTF8, "application/json"));
        var before = await dropbox.AdminAsync();
        using var reset = await dropbox.Http.PostAsync("/_admin/dropbox/reset", content: null);

        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        var file = Assert.Single(before.GetProperty("files").EnumerateArray());
        Assert.Equal("/Inbox/100-20250131080000-INTE100F.xlsx", file.GetProperty("path").GetString());
        Assert.Equal(5, file.GetProperty("size").GetInt64());
        Assert.Equal("9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50", file.GetProperty("content_hash").GetString());
        Assert.Empty((await DropboxInstance.ReadAsync(reset, HttpStatusCode.OK)).GetProperty("files").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"content":"aGVsbG8="}""", "path", "path is required: the file's path, such as /inbox/report.xlsx.")]
    [InlineData("""{"path":"inbox/a","content":""}""", "path", null)]
    [InlineData("""{"path":"/a"}""", "content", "content is required: the file's bytes in base64 (\"\" for an empty file).")]
    [InlineData("""{"path":"/a","content":"%%%"}""", "content", "content must be base64.")]
    [InlineData("""not json""", "body", null)]
    public async Task Admin_seed_bodies_are_checked_naming_the_field(string body, string field, string? message)
    {
        await using var dropbox = await DropboxInstance.StartAsync();

        using var response = await dropbox.Http.PutAsync("/_admin/dropbox/files", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await DropboxInstance.ReadAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = problem.GetProperty("errors").GetProperty(field);
        if (message is not null)
        {
            Assert.Equal(message, messages[0].GetString());
        }
    }

    [Fact]
    public async Task A_bad_setting_fails_start_up_naming_it()
    {
        await using var app = SimulatorInstance.Build("Simulators:Dropbox:AccessTokenSeconds=0", "Simulators:Dropbox:AppSecret=");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Simulators:Dropbox:AccessTokenSeconds must be 1..86400, was 0.", failure.Failures);
        Assert.Contains("Simulators:Dropbox:AppSecret must be set: the client_secret the token endpoint accepts.", failure.Failures);
    }
}
