using Tributary.Storage.TrueLayer;

namespace Tributary.Api.TrueLayer;

/// <summary>An import's rows as the API shows them, with the estimate of when it ends.</summary>
public static class ImportStatus
{
    public static ImportStatusView View(ImportJobStatus job, IReadOnlyList<ImportProgress> progress, IReadOnlyDictionary<string, string?> names, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(names);
        var accounts = progress.Select(p => new ImportAccountView(p.AccountId, names.GetValueOrDefault(p.AccountId), p.Status, p.Synced, p.Duplicates, p.Errors,
            p.Settled, p.WindowsDone, p.WindowsTotal, p.Message, p.StartedAt, p.FinishedAt)).ToList();
        return new ImportStatusView(job.JobId, job.Status, job.Owner, job.ConnectionId, Progress(job), accounts, EstimatedCompletion(job, progress, now),
            Totals(job), DateRangeView.Of(job.FromDate, job.ToDate), job.AutoEnrich, job.BatchSize, job.MaxWorkers, job.Incremental, job.RunId, job.Error,
            job.CreatedAt, job.StartedAt, job.FinishedAt);
    }

    public static ImportHistoryView History(ImportJobStatus job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new ImportHistoryView(job.JobId, job.Owner, job.ConnectionId, job.Status, DateRangeView.Of(job.FromDate, job.ToDate), Progress(job), Totals(job),
            job.Incremental, job.CreatedAt, job.StartedAt, job.FinishedAt);
    }

    /// <summary>
    /// When the job ends: its end once it ended; while it runs, now plus the time the units done so far took, scaled
    /// to the units left (a unit is one call: an account's pending list or one window); before any unit, the plan's estimate.
    /// </summary>
    public static DateTimeOffset? EstimatedCompletion(ImportJobStatus job, IReadOnlyList<ImportProgress> progress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        if (job.FinishedAt is { } finished)
        {
            return finished;
        }

        if (job.StartedAt is not { } started)
        {
            return null;
        }

        var done = progress.Sum(p => (long)p.WindowsDone);
        // Accounts not started yet have no unit count: count them like the average started one.
        var startedAccounts = progress.Where(p => p.WindowsTotal > 0).ToList();
        var perAccount = startedAccounts.Count == 0 ? 0 : startedAccounts.Average(p => (double)p.WindowsTotal);
        var total = startedAccounts.Sum(p => (double)p.WindowsTotal) + (progress.Count - startedAccounts.Count) * perAccount;
        if (done == 0 || total <= 0)
        {
            return started + TimeSpan.FromSeconds(job.EstimatedDurationSeconds);
        }

        var elapsed = now - started;
        var left = Math.Max(0, total - done);
        return now + TimeSpan.FromTicks((long)(elapsed.Ticks * (left / done)));
    }

    private static ImportProgressView Progress(ImportJobStatus job) => new(job.CompletedAccounts, job.TotalAccounts, job.Percent);

    private static ImportTotalsView Totals(ImportJobStatus job) => new(job.Synced, job.Duplicates, job.Errors);
}
