using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Tributary.Connectors.Dropbox;

namespace Tributary.Connectors.Tests.Dropbox;

/// <summary>The Dropbox client against the simulator over loopback.</summary>
public sealed class DropboxClientTests
{
    private const string BigHash = "f5bd55e1c17f55fc0ef053a1c198ca3b55ef9a200fd1ae189801b6d94907ba53";

    [Fact]
    public async Task A_listing_follows_the_cursor_to_the_end()
    {
        await using var dropbox = await DropboxSimulator.StartAsync(new Dictionary<string, string?> { ["Dropbox:ListLimit"] = "2" });
        foreach (var name in new[] { "e.xlsx", "B.xlsx", "a.xlsx", "d.xlsx", "sub/c.xlsx" })
        {
            await dropbox.SeedAsync($"/Inbox/{name}", Encoding.UTF8.GetBytes(name));
        }

        var entries = await dropbox.Client.ListFolderAsync("/inbox");
        var log = await dropbox.LogAsync();

        Assert.Equal(["/Inbox/a.xlsx", "/Inbox/B.xlsx", "/Inbox/d.xlsx", "/Inbox/e.xlsx", "/Inbox/sub"], entries.Select(entry => entry.PathDisplay));
        Assert.Equal([true, true, true, true, false], entries.Select(entry => entry.IsFile));
        Assert.Equal(DropboxContentHash.Compute(Encoding.UTF8.GetBytes("a.xlsx")), entries[0].ContentHash);
        Assert.Equal(6, entries[0].Size);
        Assert.Equal(
            [("dropbox.token", 200), ("dropbox.list_folder", 200), ("dropbox.list_folder_continue", 200), ("dropbox.list_folder_continue", 200)],
            log.Select(entry => (entry.Route, entry.Status ?? 0)));
    }

    [Fact]
    public async Task A_missing_folder_is_a_permanent_path_not_found()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.ListFolderAsync("/nowhere"));

        Assert.Equal("path/not_found", failure.ErrorCode);
        Assert.Equal(409, failure.StatusCode);
        Assert.False(failure.IsTransient);
        Assert.Equal("Dropbox found nothing at the path of POST files/list_folder (path/not_found). Check the path; retrying will not help.", failure.Message);
    }

    [Fact]
    public async Task A_small_upload_is_one_request_with_the_hash_checked_and_add_does_not_overwrite()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        var content = Encoding.UTF8.GetBytes("hello");

        var uploaded = await dropbox.Client.UploadAsync("/out/report.csv", new MemoryStream(content), content.Length, overwrite: false);
        var conflict = await Assert.ThrowsAsync<UpstreamException>(
            () => dropbox.Client.UploadAsync("/out/report.csv", new MemoryStream([1, 2]), 2, overwrite: false));
        var replaced = await dropbox.Client.UploadAsync("/out/report.csv", new MemoryStream([1, 2]), 2, overwrite: true);

        Assert.Equal("9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50", uploaded.ContentHash);
        Assert.Equal("/out/report.csv", uploaded.PathDisplay);
        Assert.Equal(5, uploaded.Size);
        Assert.Equal("path/conflict/file", conflict.ErrorCode);
        Assert.False(conflict.IsTransient);
        Assert.Equal(DropboxContentHash.Compute([1, 2]), replaced.ContentHash);
        Assert.Equal(2, replaced.Size);
        Assert.Equal(3, (await dropbox.LogAsync()).Count(entry => entry.Route == "dropbox.upload"));
    }

    [Fact]
    public async Task Content_above_the_threshold_goes_through_an_upload_session()
    {
        await using var dropbox = await DropboxSimulator.StartAsync(new Dictionary<string, string?> { ["Dropbox:UploadSessionThreshold"] = (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var content = DropboxSimulator.Pattern((9 * 1024 * 1024) + 3);

        var uploaded = await dropbox.Client.UploadAsync("/big/file.bin", new MemoryStream(content), content.Length, overwrite: false);
        var log = await dropbox.LogAsync();
        var state = await dropbox.StateAsync();

        Assert.Equal(BigHash, uploaded.ContentHash);
        Assert.Equal(content.Length, uploaded.Size);
        Assert.Equal(3, log.Count(entry => entry.Route == "dropbox.upload_session"));
        Assert.DoesNotContain(log, entry => entry.Route == "dropbox.upload");
        Assert.Equal(BigHash, state.GetProperty("files")[0].GetProperty("content_hash").GetString());
    }

    [Fact]
    public async Task A_content_length_that_is_a_multiple_of_the_threshold_finishes_with_the_last_part()
    {
        await using var dropbox = await DropboxSimulator.StartAsync(new Dictionary<string, string?> { ["Dropbox:UploadSessionThreshold"] = "1024" });
        var content = DropboxSimulator.Pattern(3 * 1024);

        var uploaded = await dropbox.Client.UploadAsync("/big/three.bin", new MemoryStream(content), content.Length, overwrite: false);

        Assert.Equal(DropboxContentHash.Compute(content), uploaded.ContentHash);
        Assert.Equal(3, (await dropbox.LogAsync()).Count(entry => entry.Route == "dropbox.upload_session"));
    }

    [Fact]
    public async Task A_delete_batch_polls_until_complete_and_reports_each_path()
    {
        await using var dropbox = await DropboxSimulator.StartAsync(simulatorSettings: "Simulators:Dropbox:DeleteBatchInProgressChecks=2");
        await dropbox.SeedAsync("/out/1.csv", [1]);
        await dropbox.SeedAsync("/out/2.csv", [2]);

        var results = await dropbox.Client.DeleteBatchAsync(["/out/1.csv", "/out/missing.csv", "/OUT/2.csv"]);
        var log = await dropbox.LogAsync();

        Assert.Equal(
            [("/out/1.csv", "/out/1.csv", null), ("/out/missing.csv", null, "path_lookup/not_found"), ("/OUT/2.csv", "/out/2.csv", null)],
            results.Select(result => (result.Path, result.Deleted?.PathLower, result.Failure)));
        Assert.Equal(3, log.Count(entry => entry.Route == "dropbox.delete_batch_check"));
        Assert.Empty((await dropbox.StateAsync()).GetProperty("files").EnumerateArray());
    }

    [Fact]
    public async Task Delete_removes_one_path_and_a_missing_one_is_path_lookup_not_found()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        await dropbox.SeedAsync("/out/1.csv", [1]);

        var deleted = await dropbox.Client.DeleteAsync("/out/1.csv");
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.DeleteAsync("/out/1.csv"));

        Assert.Equal("/out/1.csv", deleted.PathLower);
        Assert.Equal("path_lookup/not_found", failure.ErrorCode);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_the_call_sent_once_more()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        await dropbox.SeedAsync("/in/a.csv", [1]);
        await dropbox.Client.ListFolderAsync("/in");
        await dropbox.Client.ListFolderAsync("/in");

        await dropbox.ExpireTokensAsync();
        var entries = await dropbox.Client.ListFolderAsync("/in");

        Assert.Single(entries);
        Assert.Equal(
            [("dropbox.token", 200), ("dropbox.list_folder", 200), ("dropbox.list_folder", 200), ("dropbox.list_folder", 401), ("dropbox.token", 200), ("dropbox.list_folder", 200)],
            (await dropbox.LogAsync()).Select(entry => (entry.Route, entry.Status ?? 0)));
    }

    [Fact]
    public async Task A_token_expired_again_after_the_refresh_fails_without_a_third_call()
    {
        var expireEveryList = new Func<HttpContext, Task<bool>>(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/dropbox/api"))
            {
                context.Response.StatusCode = 401;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error_summary":"expired_access_token/..","error":{".tag":"expired_access_token"}}""");
                return true;
            }

            return false;
        });
        await using var answering = await DropboxSimulator.StartAsync(answer: expireEveryList);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => answering.Client.ListFolderAsync("/in"));

        Assert.Equal("expired_access_token", failure.ErrorCode);
        Assert.Equal(
            [("dropbox.token", 200), ("dropbox.token", 200)],
            (await answering.LogAsync()).Select(entry => (entry.Route, entry.Status ?? 0)));
    }

    [Fact]
    public async Task A_429_with_a_retry_after_header_is_transient_with_that_wait_and_not_retried()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        await dropbox.AddFaultAsync(new { route = "dropbox.upload", kind = "429", count = 1, retryAfterSeconds = 7 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.UploadAsync("/x/a.bin", new MemoryStream([1]), 1, overwrite: false));

        Assert.True(failure.IsTransient);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal("too_many_requests", failure.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(7), failure.RetryAfter);
        Assert.Equal(
            "Dropbox is rate limiting this app (429 too_many_requests) on POST files/upload: wait 7 s (Retry-After) before calling again; rate-limited calls count against the limit.",
            failure.Message);
        Assert.Equal(1, (await dropbox.LogAsync()).Count(entry => entry.Route == "dropbox.upload"));
    }

    [Fact]
    public async Task A_429_with_retry_after_only_in_the_body_takes_the_wait_from_the_body()
    {
        await using var dropbox = await DropboxSimulator.StartAsync(answer: async context =>
        {
            if (context.Request.Path.StartsWithSegments("/dropbox/content/2/files/upload"))
            {
                context.Response.StatusCode = 429;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error_summary":"too_many_requests/..","error":{"reason":{".tag":"too_many_requests"},"retry_after":12}}""");
                return true;
            }

            return false;
        });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.UploadAsync("/x/a.bin", new MemoryStream([1]), 1, overwrite: false));

        Assert.True(failure.IsTransient);
        Assert.Equal("too_many_requests", failure.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(12), failure.RetryAfter);
    }

    [Fact]
    public async Task Write_contention_without_retry_after_is_transient_with_no_wait()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        var token = await dropbox.AccessTokenAsync();
        var slow = new GatedContent(DropboxSimulator.Pattern(100_000), [1]);
        slow.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/dropbox/content/2/files/upload") { Content = slow };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Dropbox-API-Arg", """{"path":"/inbox/slow.bin","mode":"add"}""");
        var pending = dropbox.Admin.SendAsync(request);
        await dropbox.WritesInFlightAsync(1);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.UploadAsync("/inbox/fast.bin", new MemoryStream([2]), 1, overwrite: false));
        slow.Release();
        using var finished = await pending;

        Assert.True(failure.IsTransient);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal("too_many_write_operations", failure.ErrorCode);
        Assert.Null(failure.RetryAfter);
        Assert.Equal(
            "Dropbox refused POST files/upload with 429 too_many_write_operations: another write to the same folder was under way (namespace lock contention). Do not write one folder in parallel; Dropbox gave no wait: back off before writing it again.",
            failure.Message);
        Assert.True(finished.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_wrong_refresh_token_or_secret_is_named_without_quoting_it()
    {
        await using var wrongRefresh = await DropboxSimulator.StartAsync(new Dictionary<string, string?> { ["Dropbox:RefreshToken"] = "refresh-that-must-not-leak" });
        await using var wrongSecret = await DropboxSimulator.StartAsync(new Dictionary<string, string?> { ["Dropbox:AppSecret"] = "secret-that-must-not-leak" });

        var refresh = await Assert.ThrowsAsync<UpstreamException>(() => wrongRefresh.Client.ListFolderAsync(""));
        var secret = await Assert.ThrowsAsync<UpstreamException>(() => wrongSecret.Client.ListFolderAsync(""));

        Assert.Equal("invalid_grant", refresh.ErrorCode);
        Assert.False(refresh.IsTransient);
        Assert.Equal(
            "Dropbox refused Dropbox:RefreshToken (invalid_grant): the app's authorization was revoked or the token is wrong. Authorize the app again and set Dropbox:RefreshToken; retrying will not help.",
            refresh.Message);
        Assert.Equal("invalid_client", secret.ErrorCode);
        Assert.DoesNotContain("must-not-leak", refresh.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(DropboxSimulator.AppSecret, refresh.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_access_token_appears_in_a_failure()
    {
        await using var dropbox = await DropboxSimulator.StartAsync();
        await dropbox.AddFaultAsync(new { route = "dropbox.list_folder", kind = "5xx", count = 1, status = 503 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => dropbox.Client.ListFolderAsync(""));

        Assert.True(failure.IsTransient);
        Assert.Equal(503, failure.StatusCode);
        Assert.DoesNotContain("sl.", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(DropboxSimulator.AppSecret, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(DropboxSimulator.RefreshToken, failure.ToString(), StringComparison.Ordinal);
    }
}
