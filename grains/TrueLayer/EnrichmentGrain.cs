using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Jobs;
using Tributary.Storage.Jobs;
using Tributary.Storage.TrueLayer;

namespace Tributary.TrueLayer;

/// <inheritdoc cref="IEnrichmentGrain"/>
/// <remarks>
/// The job row is written before the run is triggered, and the trigger carries an idempotency key of the job, so a
/// start repeated after a crash (an import's end told twice) finds the same row and the same run.
/// </remarks>
[GrainType("truelayer-enrichment")]
public sealed class EnrichmentGrain(TrueLayerStore imports, EnrichmentStore store, IOptions<TrueLayerImportOptions> options, TimeProvider time)
    : Grain, IEnrichmentGrain
{
    private Guid JobId => this.GetPrimaryKey();

    public async Task<EnrichmentStartResult> Start(EnrichmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string owner;
        IReadOnlyList<string> accounts;
        DateOnly? from = null;
        DateOnly? to = null;
        if (request.ImportJobId is { } importJobId)
        {
            var import = await imports.GetImportJobAsync(importJobId, CancellationToken.None);
            if (import is null || (!request.IsAdmin && import.Owner != request.Owner))
            {
                return new EnrichmentStartResult(JobId, null, new Dictionary<string, string[]> { ["import_job_id"] = [$"There is no import job {importJobId} of yours."] });
            }

            (owner, accounts) = (import.Owner, import.AccountIds);
        }
        else
        {
            var connection = request.ConnectionId is { Length: > 0 } id ? await imports.GetConnectionAsync(id, CancellationToken.None) : null;
            if (connection is null || (!request.IsAdmin && connection.Owner != request.Owner))
            {
                errors["connection_id"] = [string.IsNullOrEmpty(request.ConnectionId)
                    ? "Required (or import_job_id): the connection whose transactions to categorise."
                    : $"There is no connection '{request.ConnectionId}' of yours. GET /api/truelayer/connections lists them."];
            }

            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            (from, to) = ImportPlanner.Range(request.FromDate, request.ToDate, null, today, options.Value.MaxRangeDays, errors);
            var known = connection is null ? [] : (await imports.ListAccountsAsync(connection.ConnectionId, CancellationToken.None)).Select(a => a.AccountId).ToList();
            if (request.AccountIds is { Count: > 0 } ids && connection is not null)
            {
                var unknown = ids.Where(a => !known.Contains(a, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                {
                    errors["account_ids"] = [$"Not accounts of connection '{connection.ConnectionId}': {string.Join(", ", unknown.Select(a => $"'{a}'"))}."];
                }
            }

            if (errors.Count > 0)
            {
                return new EnrichmentStartResult(JobId, null, errors);
            }

            owner = connection!.Owner;
            accounts = request.AccountIds is { Count: > 0 } chosen ? [.. chosen.Distinct(StringComparer.Ordinal)] : known;
        }

        await store.CreateAsync(JobId, request.ImportJobId, owner, accounts, from, to, time.GetUtcNow(), CancellationToken.None);
        var ticket = await GrainFactory.GetGrain<IJobGrain>(JobKey.For(EnrichmentJobDefinition.JobName, JobId.ToString("N", CultureInfo.InvariantCulture)))
            .Trigger(new RunRequest(RunTrigger.Manual,
                Parameters: new Dictionary<string, string>(StringComparer.Ordinal) { [EnrichmentJobDefinition.EnrichmentJobParameter] = JobId.ToString() },
                IdempotencyKey: $"truelayer-enrichment:{JobId}"));
        return ticket.NotFound is { } notFound
            ? new EnrichmentStartResult(JobId, null, Problem: notFound)
            : new EnrichmentStartResult(JobId, ticket.RunId);
    }
}
