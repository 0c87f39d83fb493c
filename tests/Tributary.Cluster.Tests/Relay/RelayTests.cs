namespace Tributary.Cluster.Tests.Relay;

/// <summary>
/// The Credinvest -> Dropbox relay and the integrated sync end to end: a real OpenSSH SFTP server, the Dropbox (and
/// Keycloak/Vestr) simulators with their fault layer, a silo process, the gateway over HTTP, a real PostgreSQL.
/// </summary>
public sealed class RelayTests
{
    private static readonly int[] BackoffSeconds = [1, 2, 4];

    [Fact]
    public async Task A_429_storm_on_uploads_delivers_every_file_verified_and_no_call_comes_before_a_Retry_After_ends()
    {
        await using var relay = await RelaySync.StartAsync("relay_storm");
        await relay.AddFaultAsync(new { route = "dropbox.upload", kind = "429", probability = 0.3, retryAfterSeconds = 1 });

        var run = await relay.WaitForSyncAsync(await relay.StartSyncAsync(new { skip_vestr_fees = true, skip_fee_snapshots = true }));

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        var credinvest = RelaySync.Step(run, "credinvest");
        Assert.Equal(("succeeded", "succeeded"), (credinvest.GetProperty("status").GetString(), credinvest.GetProperty("run_status").GetString()));
        Assert.Equal(("skipped", "skipped"), (RelaySync.Step(run, "vestr_fees").GetProperty("status").GetString(), RelaySync.Step(run, "fee_snapshots").GetProperty("status").GetString()));
        Assert.Empty(run.GetProperty("failed_accounts").EnumerateArray());

        // /cred/ holds exactly this run's selection, each file as Credinvest has it; the others are gone.
        var expected = RelaySync.Selected.ToDictionary(name => $"/cred/{name}", relay.HashOnSftp, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(f => f.Key, StringComparer.Ordinal), (await relay.DropboxFilesAsync()).OrderBy(f => f.Key, StringComparer.Ordinal));
        Assert.Equal(0, await relay.ContendedAsync());

        // Every upload arrived once with 200; the 429s were each waited out in full before Dropbox saw another call.
        var log = (await relay.Simulator.RequestsAsync()).Where(e => e.Route.StartsWith("dropbox.", StringComparison.Ordinal) && e.Route != "dropbox.token").ToList();
        var uploads = log.Where(e => e.Route == "dropbox.upload").ToList();
        var throttled = uploads.Where(e => e.Status == 429).ToList();
        Assert.Equal(RelaySync.Selected.Length, uploads.Count(e => e.Status == 200));
        Assert.Equal(uploads.Count - RelaySync.Selected.Length, throttled.Count);
        Assert.True(throttled.Count >= 1, "the storm threw no 429 at all: the test proved nothing");
        Assert.Equal(throttled.Count, credinvest.GetProperty("counts").GetProperty("throttled").GetInt32());
        foreach (var refused in throttled)
        {
            var early = log.FirstOrDefault(e => e.Sequence > refused.Sequence && e.TimeUtc < refused.TimeUtc + TimeSpan.FromSeconds(1));
            Assert.True(early is null, $"{early?.Route} at {early?.TimeUtc:HH:mm:ss.fff} came before the Retry-After of the 429 at {refused.TimeUtc:HH:mm:ss.fff} ended");
        }

        // The seed's pacing: one upload at a time, at least 0.5 s from one call's end to the next (10 ms for clock rounding).
        foreach (var (previous, next) in uploads.Zip(uploads.Skip(1)))
        {
            Assert.True(next.TimeUtc - previous.TimeUtc >= TimeSpan.FromMilliseconds(490),
                $"uploads {previous.Sequence} and {next.Sequence} arrived {(next.TimeUtc - previous.TimeUtc).TotalMilliseconds} ms apart");
        }

        // What the listing saw, and why each other file was left out.
        var files = await relay.Client.GetFromJsonAsync<JsonElement>("/api/relay/files");
        Assert.Equal((17, 13, 4), (files.GetProperty("listed").GetInt32(), files.GetProperty("selected").GetInt32(), files.GetProperty("left_out").GetInt32()));
        var byName = files.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, StringComparer.Ordinal);
        Assert.All(RelaySync.Selected, name =>
        {
            Assert.True(byName[name].GetProperty("selected").GetBoolean());
            Assert.Equal(("uploaded", relay.HashOnSftp(name)), (byName[name].GetProperty("upload").GetString(), byName[name].GetProperty("content_hash").GetString()));
        });
        Assert.StartsWith("a newer INTE100F of account 10001 exists", byName["10001-20261127170000-INTE100F.xlsx"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("more than one day older than account 10007's INTE100F", byName["10007-20261128170000-INTE400F.xlsx"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("more than three days older than the newest INTE file", byName["10008-20261126170000-INTE100F.xlsx"].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("not an INTE file name", byName["notes.txt"].GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Without delete_after_upload the downloads stay.
        Assert.Equal(RelaySync.Selected.Order(StringComparer.Ordinal), relay.LocalFiles());
    }

    [Fact]
    public async Task One_file_that_fails_every_time_is_reported_by_account_and_nothing_is_deleted_in_Dropbox_or_on_disk()
    {
        await using var relay = await RelaySync.StartAsync("relay_failing_file");
        const string failing = "10003-20261130170000-INTE100F.xlsx";
        await relay.AddFaultAsync(new { route = "dropbox.upload", kind = "5xx", status = 503, pathContains = failing });
        var before = await relay.DropboxFilesAsync();

        var run = await relay.WaitForSyncAsync(await relay.StartSyncAsync(new { skip_vestr_fees = true, skip_fee_snapshots = true, delete_after_upload = true }));

        Assert.Equal("partially_succeeded", run.GetProperty("status").GetString());
        var credinvest = RelaySync.Step(run, "credinvest");
        Assert.Equal(("failed", "partially_succeeded"), (credinvest.GetProperty("status").GetString(), credinvest.GetProperty("run_status").GetString()));
        Assert.Equal(["Account 10003 - INTE100F"], credinvest.GetProperty("failed_accounts").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["Account 10003 - INTE100F"], run.GetProperty("failed_accounts").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("Failed: Account 10003 - INTE100F.", credinvest.GetProperty("error").GetString(), StringComparison.Ordinal);

        // /cred/ still holds every file it held, and every other file arrived; nothing local was deleted.
        var after = await relay.DropboxFilesAsync();
        Assert.All(before.Keys, path => Assert.True(after.ContainsKey(path), $"{path} was deleted although an upload failed"));
        foreach (var name in RelaySync.Selected.Where(n => n != failing))
        {
            Assert.Equal(relay.HashOnSftp(name), after[$"/cred/{name}"]);
        }

        Assert.False(after.ContainsKey($"/cred/{failing}"));
        Assert.Equal(before.Count + RelaySync.Selected.Length - 2, after.Count); // 10002's 100F replaced its old copy; 10003's never arrived
        Assert.Equal(RelaySync.Selected.Order(StringComparer.Ordinal), relay.LocalFiles());

        // The failing file: a first try and 3 retries, 1, 2 and 4 s apart at least.
        var attempts = (await relay.Simulator.RequestsAsync("dropbox.upload")).Where(e => e.Fault is not null).ToList();
        Assert.Equal(4, attempts.Count);
        foreach (var (gap, (previous, next)) in BackoffSeconds.Zip(attempts.Zip(attempts.Skip(1))))
        {
            Assert.True(next.TimeUtc - previous.TimeUtc >= TimeSpan.FromSeconds(gap), $"retry after {gap} s came {(next.TimeUtc - previous.TimeUtc).TotalMilliseconds} ms after the failure");
        }

        // Fixed at Dropbox: the next run relays everything, clears /cred/ of the rest and removes the verified downloads.
        Assert.Equal(HttpStatusCode.NoContent, (await relay.Simulator.Admin.DeleteAsync("/_admin/faults")).StatusCode);
        var fixedRun = await relay.WaitForSyncAsync(await relay.StartSyncAsync(new { skip_vestr_fees = true, skip_fee_snapshots = true, delete_after_upload = true }));
        Assert.Equal("succeeded", fixedRun.GetProperty("status").GetString());
        Assert.Equal(RelaySync.Selected.Select(n => $"/cred/{n}").Order(StringComparer.Ordinal), (await relay.DropboxFilesAsync()).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, RelaySync.Step(fixedRun, "credinvest").GetProperty("counts").GetProperty("deleted").GetInt32() + 1);
        Assert.Empty(relay.LocalFiles());
    }

    [Fact]
    public async Task Skip_flags_choose_the_steps_a_trigger_during_a_run_gets_that_run_and_a_bad_request_starts_nothing()
    {
        await using var relay = await RelaySync.StartAsync("relay_skip_flags", vestr: true);

        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { download_dir = "../etc" }, "download_dir"),
                     (new { download_dir = "/tmp/x" }, "download_dir"),
                     (new { skip_credinvest = true, skip_vestr_fees = true, skip_fee_snapshots = true }, "skip_credinvest"),
                     (new { skip_everything = true }, "skip_everything"),
                     (new { skip_credinvest = "yes" }, "skip_credinvest"),
                 })
        {
            var (status, problem) = await relay.PostSyncAsync(body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: no error on {field}: {problem}");
        }

        Assert.Equal(0, await relay.ScalarAsync("SELECT count(*) FROM job_runs"));

        // A start while a sync runs gets the running one (the first upload is held for 3 s, so it surely runs).
        await relay.AddFaultAsync(new { route = "dropbox.upload", kind = "latency", latencyMs = 3_000, count = 1 });
        var first = await relay.StartSyncAsync(new { skip_vestr_fees = true, skip_fee_snapshots = true });
        var (again, joined) = await relay.PostSyncAsync(new { });
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal((first, false), (joined.GetProperty("run_id").GetString(), joined.GetProperty("started").GetBoolean()));
        var relayed = await relay.WaitForSyncAsync(first);
        Assert.Equal("succeeded", relayed.GetProperty("status").GetString());
        Assert.Equal(0, await relay.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'vestr_fees'"));

        // Credinvest skipped: no relay run; the fee sync and the snapshots run.
        var fees = await relay.WaitForSyncAsync(await relay.StartSyncAsync(new { skip_credinvest = true }));
        Assert.Equal("succeeded", fees.GetProperty("status").GetString());
        Assert.Equal("skipped", RelaySync.Step(fees, "credinvest").GetProperty("status").GetString());
        Assert.Equal(1, await relay.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'credinvest_relay'"));
        var vestr = RelaySync.Step(fees, "vestr_fees");
        Assert.Equal(("succeeded", "succeeded"), (vestr.GetProperty("status").GetString(), vestr.GetProperty("run_status").GetString()));
        Assert.Equal(await relay.ScalarAsync("SELECT count(*) FROM vestr_fee_records"), vestr.GetProperty("counts").GetProperty("inserted").GetInt64());
        var snapshots = RelaySync.Step(fees, "fee_snapshots");
        Assert.Equal(("succeeded", 4), (snapshots.GetProperty("status").GetString(), snapshots.GetProperty("counts").GetProperty("products").GetInt32()));
        Assert.Equal(4, await relay.ScalarAsync("SELECT count(*) FROM fee_latest_snapshot"));

        var history = await relay.Client.GetFromJsonAsync<JsonElement>("/api/sync/runs");
        Assert.Equal([fees.GetProperty("run_id").GetString(), first], history.EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await relay.Client.GetAsync($"/api/sync/runs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await relay.Client.GetAsync("/api/sync/runs/not-a-guid")).StatusCode);

        // No secret of the relay or of Vestr in a silo's log or the database.
        var dump = await DatabaseDump.DumpAsync(relay.Cluster.Settings.ConnectionString);
        var logs = string.Join('\n', relay.Cluster.Silos.Select(s => s.Output));
        foreach (var secret in new[] { Simulator.DropboxAppSecret, Simulator.DropboxRefreshToken, Simulator.VestrPassword, Simulator.VestrTotpSecret })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_host_key_other_than_the_pinned_one_fails_the_credinvest_step_with_the_fingerprint_sentence_and_touches_nothing()
    {
        var wrong = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');
        await using var relay = await RelaySync.StartAsync("relay_host_key", fingerprint: wrong);
        var before = await relay.DropboxFilesAsync();

        var run = await relay.WaitForSyncAsync(await relay.StartSyncAsync(new { }));

        Assert.Equal("partially_succeeded", run.GetProperty("status").GetString());
        var credinvest = RelaySync.Step(run, "credinvest");
        Assert.Equal("failed", credinvest.GetProperty("status").GetString());
        var error = credinvest.GetProperty("error").GetString()!;
        Assert.True(error.Contains("presented the host key", StringComparison.Ordinal), $"{error}\n{relay.Cluster.Silos[0].Output}");
        Assert.Contains($"presented the host key {relay.Sftp.Fingerprint}, not the one pinned in Credinvest:HostKeyFingerprint ({wrong})", error, StringComparison.Ordinal);
        Assert.Contains($"Credinvest:HostKeyFingerprint={relay.Sftp.Fingerprint}", error, StringComparison.Ordinal);
        foreach (var step in new[] { "vestr_fees", "fee_snapshots" })
        {
            var skipped = RelaySync.Step(run, step);
            Assert.Equal("not_configured", skipped.GetProperty("status").GetString());
            Assert.StartsWith("Vestr is not configured: set Vestr:KeycloakUrl", skipped.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await relay.DropboxFilesAsync());
        Assert.Empty(relay.LocalFiles());
        Assert.Equal(0, await relay.ScalarAsync("SELECT count(*) FROM job_runs WHERE job = 'credinvest_relay'"));
    }
}
