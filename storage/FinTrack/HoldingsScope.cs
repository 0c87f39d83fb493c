using Npgsql;
using NpgsqlTypes;

namespace Tributary.Storage.FinTrack;

/// <summary>
/// The rows one holdings computation covers: a batch of assets (distinct, in ordinal order), of every account or of
/// one. Every query of the computation, and the replacement of its rows, filters by it.
/// </summary>
internal sealed class HoldingsScope
{
    private HoldingsScope(string[] assets, string? accountId)
    {
        Assets = assets;
        AccountId = accountId;
    }

    /// <summary>The batch's asset ids, distinct and in ordinal order (so locks are taken in the same order by every call).</summary>
    public string[] Assets { get; }

    /// <summary>The one account covered, or null for every account.</summary>
    public string? AccountId { get; }

    /// <summary><c>AND account_id = @account</c> when the scope is one account; nothing otherwise.</summary>
    public string AccountFilter => AccountId is null ? string.Empty : "AND account_id = @account";

    /// <exception cref="ArgumentException">An asset id is null or empty.</exception>
    public static HoldingsScope Of(IReadOnlyList<string> assetIds, string? accountId)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        if (assetIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Asset ids must not be null or empty.", nameof(assetIds));
        }

        return new HoldingsScope([.. assetIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], accountId);
    }

    /// <summary>Adds <c>@assets</c> and, for one account, <c>@account</c>.</summary>
    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("assets", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Assets });
        if (AccountId is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("account", NpgsqlDbType.Text) { Value = AccountId });
        }
    }
}
