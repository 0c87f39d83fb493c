using Tributary.Storage.Jobs;

namespace Tributary.Api.WealthX;

/// <summary>The stored run of a session and its batches, as the job runtime recorded them.</summary>
public sealed record SessionRun(JobRunRecord Run, IReadOnlyList<JobBatchRecord> Batches);
