using System.Globalization;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <summary>
/// Checks a plan request field by field and estimates it from what past imports of its accounts measured
/// (transactions per day, call latency), with <see cref="TrueLayerImportOptions"/>' defaults for the rest.
/// </summary>
public sealed class ImportPlanner(TrueLayerImportOptions options)
{
    public const int MinBatchSize = 10;
    public const int MaxBatchSize = 200;

    /// <summary>The plan, or every wrong field with a sentence (nothing is stored then).</summary>
    /// <param name="connection">The request's connection if it exists and the caller may use it; null otherwise.</param>
    /// <param name="accounts">The connection's accounts and cards.</param>
    public (ImportPlan? Plan, Dictionary<string, string[]> Errors) Check(
        Guid jobId, ImportPlanRequest request, StoredConnection? connection, IReadOnlyList<StoredAccount> accounts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accounts);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string sentence) => errors[field] = [sentence];

        if (string.IsNullOrWhiteSpace(request.ConnectionId))
        {
            Error("connection_id", "Required: the connection to import from (GET /api/truelayer/connections lists yours).");
        }
        else if (connection is null)
        {
            Error("connection_id", $"There is no connection '{request.ConnectionId}' of yours. GET /api/truelayer/connections lists them.");
        }
        else if (connection.Status != "active")
        {
            Error("connection_id", $"Connection '{connection.ConnectionId}' needs the bank's consent again ({connection.StatusMessage ?? connection.Status}): connect it again through GET /api/truelayer/connect.");
        }

        var (from, to) = Range(request.FromDate, request.ToDate, request.Incremental ? options.IncrementalFirstDays : null, today, options.MaxRangeDays, errors);

        var batchSize = request.BatchSize ?? options.DefaultBatchSize;
        if (batchSize is < MinBatchSize or > MaxBatchSize)
        {
            Error("batch_size", $"Must be {MinBatchSize}..{MaxBatchSize} transactions per commit, was {batchSize}.");
        }

        var maxWorkers = request.MaxWorkers ?? options.DefaultMaxWorkers;
        if (maxWorkers < 1 || maxWorkers > options.MaxWorkersLimit)
        {
            Error("max_workers", $"Must be 1..{options.MaxWorkersLimit} accounts at once (1 = one after the other), was {maxWorkers}.");
        }

        var selected = new List<StoredAccount>();
        if (connection is not null)
        {
            var byId = accounts.ToDictionary(a => a.AccountId, StringComparer.Ordinal);
            if (request.AccountIds is { Count: > 0 } ids)
            {
                var unknown = ids.Where(id => id is null || !byId.ContainsKey(id)).Select(id => id ?? "null").Distinct(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                {
                    Error("account_ids", $"Not accounts of connection '{connection.ConnectionId}': {string.Join(", ", unknown.Select(id => $"'{id}'"))}. "
                        + $"GET /api/truelayer/connections/{connection.ConnectionId}/accounts lists them.");
                }
                else
                {
                    selected.AddRange(ids.Distinct(StringComparer.Ordinal).Select(id => byId[id]));
                }
            }
            else if (accounts.Count == 0)
            {
                Error("account_ids", $"Connection '{connection.ConnectionId}' has no accounts or cards to import.");
            }
            else
            {
                selected.AddRange(accounts);
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var range = (From: from!.Value, To: to!.Value);
        var planned = selected.Select(a =>
        {
            var (accountFrom, accountTo) = AccountRange(a, range.From, range.To, request.Incremental);
            var days = Math.Max(0, accountTo.DayNumber - accountFrom.DayNumber + 1);
            return (Account: a, Units: Units(accountFrom, accountTo), Transactions: (long)Math.Ceiling(days * (a.TransactionsPerDay ?? options.DefaultTransactionsPerDay)));
        }).ToList();
        var transactions = planned.Sum(p => p.Transactions);
        var latency = selected.Select(a => a.AvgCallMs).OfType<double>().DefaultIfEmpty(options.DefaultCallLatency.TotalMilliseconds).Average();
        // The accounts run maxWorkers at a time: the busiest worker's share of calls, one after the other.
        var callsPerWorker = Math.Ceiling(planned.Sum(p => (double)p.Units) / Math.Min(maxWorkers, Math.Max(1, planned.Count)));
        var seconds = (int)Math.Ceiling(callsPerWorker * latency / 1_000);
        var cost = request.AutoEnrich ? Math.Round(transactions * options.PricePerEnrichedTransaction, 4) : 0m;
        var plan = new ImportPlan(jobId, connection!.ConnectionId, range.From, range.To, planned.Count, transactions, seconds, cost,
            [.. planned.Select(p => new PlannedAccount(p.Account.AccountId, p.Account.DisplayName, p.Account.Kind, p.Account.AccountType, p.Account.Currency,
                p.Transactions, p.Account.LastSyncedAt))],
            request.AutoEnrich, batchSize, maxWorkers);
        return (plan, errors);
    }

    /// <summary>
    /// Reads and checks <c>from_date</c>/<c>to_date</c> (ISO dates, from &lt;= to, neither in the future, at most
    /// <paramref name="maxDays"/> days), adding a sentence per wrong field to <paramref name="errors"/>. With
    /// <paramref name="defaultDays"/> both are optional: to defaults to today, from to that many days before.
    /// </summary>
    public static (DateOnly? From, DateOnly? To) Range(string? fromText, string? toText, int? defaultDays, DateOnly today, int maxDays, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        void Error(string field, string sentence) => errors[field] = [sentence];
        var from = ParseDate(fromText, "from_date", defaultDays is not null, errors);
        var to = ParseDate(toText, "to_date", defaultDays is not null, errors);
        if (defaultDays is { } days)
        {
            to ??= today;
            from ??= today.AddDays(-(days - 1));
        }

        if (to is { } end && end > today)
        {
            Error("to_date", $"Must not be in the future: today is {Iso(today)} (UTC), to_date was {Iso(end)}.");
        }

        if (from is { } start && start > today)
        {
            Error("from_date", $"Must not be in the future: today is {Iso(today)} (UTC), from_date was {Iso(start)}.");
        }

        if (from is { } first && to is { } last && !errors.ContainsKey("from_date") && !errors.ContainsKey("to_date"))
        {
            if (first > last)
            {
                Error("from_date", $"Must be on or before to_date ({Iso(last)}), was {Iso(first)}.");
            }
            else if (last.DayNumber - first.DayNumber + 1 > maxDays)
            {
                Error("to_date", $"The range may span at most {maxDays} days (TrueLayer:Import:MaxRangeDays); {Iso(first)}..{Iso(last)} spans {last.DayNumber - first.DayNumber + 1}.");
            }
        }

        return (from, to);
    }

    /// <summary>
    /// The days one account imports: the job's range, or for an incremental (recurring) import from the day its last
    /// import reached (that day again: pending transactions of that day may have settled since) to the job's end.
    /// </summary>
    public static (DateOnly From, DateOnly To) AccountRange(StoredAccount account, DateOnly from, DateOnly to, bool incremental)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (incremental && account.LastSyncedAtIncremental is { } reached)
        {
            var resume = DateOnly.FromDateTime(reached.UtcDateTime);
            return (resume > from ? resume : from, to);
        }

        return (from, to);
    }

    /// <summary>Calls one account needs: its pending list, then one per window of <see cref="TrueLayerImportOptions.WindowDays"/>.</summary>
    public int Units(DateOnly from, DateOnly to) => 1 + Windows(from, to, options.WindowDays);

    public static int Windows(DateOnly from, DateOnly to, int windowDays) =>
        to < from ? 0 : (to.DayNumber - from.DayNumber + windowDays) / windowDays;

    private static DateOnly? ParseDate(string? text, string field, bool optional, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (!optional)
            {
                errors[field] = ["Required: an ISO date, yyyy-MM-dd."];
            }

            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[field] = [$"Must be an ISO date, yyyy-MM-dd; was '{text}'."];
        return null;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
