namespace Tributary.TrueLayer;

/// <summary>How bank-transaction imports run and are estimated. Section <c>TrueLayer:Import</c>.</summary>
public sealed class TrueLayerImportOptions
{
    public const string Section = "TrueLayer:Import";

    /// <summary>Days of history one call to TrueLayer asks for (a window); the last window of a range may be shorter.</summary>
    public int WindowDays { get; set; } = 30;

    /// <summary>The widest range one plan may ask for, in days (inclusive).</summary>
    public int MaxRangeDays { get; set; } = 730;

    /// <summary>The accounts an import processes at once when the plan does not say (<c>max_workers</c>).</summary>
    public int DefaultMaxWorkers { get; set; } = 4;

    /// <summary>The highest <c>max_workers</c> a plan may ask for.</summary>
    public int MaxWorkersLimit { get; set; } = 16;

    /// <summary>Transactions committed per chunk when the plan does not say (<c>batch_size</c>, 10..200).</summary>
    public int DefaultBatchSize { get; set; } = 100;

    /// <summary>Estimate for an account no import has measured yet.</summary>
    public double DefaultTransactionsPerDay { get; set; } = 3;

    /// <summary>Estimate of one call's time before any import measured it.</summary>
    public TimeSpan DefaultCallLatency { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>The price of enriching one transaction (the plan's <c>estimated_cost</c> when <c>auto_enrich</c>).</summary>
    public decimal PricePerEnrichedTransaction { get; set; } = 0.002m;

    /// <summary>How long the <c>state</c> of a <c>GET /api/truelayer/connect</c> link stays usable.</summary>
    public TimeSpan ConnectLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where a recurring (incremental) import starts for an account never imported before, in days back from today.</summary>
    public int IncrementalFirstDays { get; set; } = 90;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (WindowDays is < 1 or > 365)
        {
            problems.Add($"{Section}:WindowDays must be 1..365, was {WindowDays}.");
        }

        if (MaxRangeDays is < 1 or > 3_650)
        {
            problems.Add($"{Section}:MaxRangeDays must be 1..3650, was {MaxRangeDays}.");
        }

        if (MaxWorkersLimit is < 1 or > 64)
        {
            problems.Add($"{Section}:MaxWorkersLimit must be 1..64, was {MaxWorkersLimit}.");
        }

        if (DefaultMaxWorkers < 1 || DefaultMaxWorkers > MaxWorkersLimit)
        {
            problems.Add($"{Section}:DefaultMaxWorkers must be 1..{Section}:MaxWorkersLimit ({MaxWorkersLimit}), was {DefaultMaxWorkers}.");
        }

        if (DefaultBatchSize is < ImportPlanner.MinBatchSize or > ImportPlanner.MaxBatchSize)
        {
            problems.Add($"{Section}:DefaultBatchSize must be {ImportPlanner.MinBatchSize}..{ImportPlanner.MaxBatchSize}, was {DefaultBatchSize}.");
        }

        if (DefaultTransactionsPerDay < 0 || double.IsNaN(DefaultTransactionsPerDay))
        {
            problems.Add($"{Section}:DefaultTransactionsPerDay must not be negative, was {DefaultTransactionsPerDay}.");
        }

        if (DefaultCallLatency < TimeSpan.Zero)
        {
            problems.Add($"{Section}:DefaultCallLatency must not be negative, was {DefaultCallLatency}.");
        }

        if (PricePerEnrichedTransaction < 0)
        {
            problems.Add($"{Section}:PricePerEnrichedTransaction must not be negative, was {PricePerEnrichedTransaction}.");
        }

        if (ConnectLinkLifetime < TimeSpan.FromMinutes(1) || ConnectLinkLifetime > TimeSpan.FromHours(1))
        {
            problems.Add($"{Section}:ConnectLinkLifetime must be 00:01:00..01:00:00, was {ConnectLinkLifetime}.");
        }

        if (IncrementalFirstDays < 1 || IncrementalFirstDays > MaxRangeDays)
        {
            problems.Add($"{Section}:IncrementalFirstDays must be 1..{Section}:MaxRangeDays ({MaxRangeDays}), was {IncrementalFirstDays}.");
        }

        return problems;
    }
}
