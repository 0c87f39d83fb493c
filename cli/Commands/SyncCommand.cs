using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Tributary.Cli.Commands;

/// <summary>
/// <c>tributary sync</c>: the old <c>integrated_sync.exe</c> with its flags. It starts the integrated sync
/// (<c>POST /api/sync/runs</c>: credinvest -> vestr_fees -> fee_snapshots) and follows it to its end; <c>-v</c> tells each
/// step's outcome as it comes, <c>--log-file</c> appends the same lines, with times, to a file.
/// </summary>
public static class SyncCommand
{
    public const string Job = "integrated_sync";

    public static Command Build(TributaryCli cli)
    {
        var skipCredinvest = new Option<bool>("--skip-credinvest") { Description = "Skip the Credinvest SFTP -> Dropbox relay." };
        var skipVestrFees = new Option<bool>("--skip-vestr-fees") { Description = "Skip the Vestr fee sync." };
        var skipFeeSnapshots = new Option<bool>("--skip-fee-snapshots") { Description = "Skip the fee snapshot refresh." };
        var deleteAfterUpload = new Option<bool>("--delete-after-upload") { Description = "Delete each downloaded file once uploaded." };
        var downloadDir = new Option<string?>("--download-dir") { Description = "Where the silos download the Credinvest files (default Relay:DownloadDirectory)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Tell each step's outcome as it comes (stderr)." };
        var logFile = new Option<FileInfo?>("--log-file") { Description = "Append the run's steps, with times, to this file." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the started run and return at once." };
        var sync = new Command("sync", "Run the integrated sync now (credinvest -> vestr_fees -> fee_snapshots) and follow it to its end.")
        {
            skipCredinvest, skipVestrFees, skipFeeSnapshots, deleteAfterUpload, downloadDir, verbose, logFile, noWait,
        };
        cli.Handle(sync, async call =>
        {
            var body = JsonBody.Of(
                ("skip_credinvest", Flag(call.Value(skipCredinvest))), ("skip_vestr_fees", Flag(call.Value(skipVestrFees))),
                ("skip_fee_snapshots", Flag(call.Value(skipFeeSnapshots))), ("delete_after_upload", Flag(call.Value(deleteAfterUpload))),
                ("download_dir", call.Value(downloadDir)));
            var started = await call.Gateway.PostAsync("/api/sync/runs", body, call.Cancellation);
            var runId = JsonBody.Id(started, "run_id");
            if (call.Value(noWait))
            {
                return call.Print(started);
            }

            var log = new StepLog(call.Value(verbose) ? call.Output.Error : null, call.Value(logFile));
            log.Line(started?["started"]?.GetValue<bool>() == false ? $"Joined the running sync {runId}." : $"Started sync {runId}.");
            var (view, progress) = await call.Progress.FollowAsync("Integrated sync", $"/api/sync/runs/{runId}", $"?job={Job}", runId, WorkProgress.OfSync, log.Steps, call.Cancellation);
            log.Line($"Sync {runId} ended {progress.Status}.");
            return call.Ended(view, progress, $"Sync {runId}");
        });

        return sync;
    }

    private static JsonValue? Flag(bool on) => on ? JsonValue.Create(true) : null;

    /// <summary>The step lines of <c>-v</c> and <c>--log-file</c>: one when a step's status changes.</summary>
    private sealed class StepLog(TextWriter? verbose, FileInfo? file)
    {
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

        public void Steps(JsonNode view)
        {
            foreach (var step in view["steps"] as JsonArray ?? [])
            {
                var name = step?["step"]?.GetValue<string>() ?? "?";
                var status = step?["status"]?.GetValue<string>() ?? "?";
                if (_seen.TryGetValue(name, out var before) && before == status)
                {
                    continue;
                }

                _seen[name] = status;
                var items = step?["items_processed"] is JsonValue count ? $", {count.ToJsonString()} items" : string.Empty;
                var why = step?["error"] is JsonValue error ? $": {error.GetValue<string>()}" : step?["detail"] is JsonValue detail ? $": {detail.GetValue<string>()}" : string.Empty;
                Line($"{name}: {status}{items}{why}");
            }
        }

        public void Line(string text)
        {
            verbose?.WriteLine(text);
            if (file is not null)
            {
                File.AppendAllText(file.FullName, $"{DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {text}{Environment.NewLine}");
            }
        }
    }
}
