using System.Globalization;
using Tributary.Simulators.Data;

namespace Tributary.Simulators.TrueLayer;

/// <summary>
/// Makes an account's transactions and balance from its <see cref="ConsentAccount.Key"/>: the same account gives the
/// same transactions on every call and in every process, and nothing is stored.
/// </summary>
/// <remarks>
/// Settled transaction i of n sits at <c>start + floor(i * historyDays * 86400 / n)</c> seconds, where start is
/// <c>historyDays</c> days before the consent's creation day (UTC midnight): spread evenly, oldest first, all before
/// the creation day. Pending transaction p of m sits on the creation day, at <c>(p + 1) / (m + 1)</c> of the way from
/// midnight to the consent's creation time. A settled pending transaction keeps its timestamp, amount and
/// normalised/provider ids and gets a new <c>transaction_id</c>; it follows the history in <c>/transactions</c>.
/// Running balances are summed from an opening balance, so a read walks the account's amounts from the first: a hash
/// per transaction, a fraction of a millisecond for thousands.
/// </remarks>
public static class TransactionLedger
{
    private const ulong SettledStream = 1;
    private const ulong SettledIdStream = 2;
    private const ulong NormalisedStream = 3;
    private const ulong ProviderIdStream = 4;
    private const ulong PendingStream = 5;
    private const ulong PendingIdStream = 6;
    private const ulong PendingNormalisedStream = 7;
    private const ulong PendingProviderIdStream = 8;
    private const ulong SettledFromPendingIdStream = 9;
    private const ulong OpeningStream = 10;

    private static readonly int SettledWeight = TransactionTemplate.Settled.Sum(template => template.Weight);
    private static readonly int PendingWeight = TransactionTemplate.Pending.Sum(template => template.Weight);

    /// <summary>Settled transactions with <paramref name="from"/> &lt;= timestamp &lt;= <paramref name="to"/>, oldest first.</summary>
    public static IReadOnlyList<TransactionResult> Settled(ConsentAccount account, DateTimeOffset from, DateTimeOffset to)
    {
        var results = new List<TransactionResult>();
        var balance = OpeningBalance(account);
        for (var i = 0; i < account.TransactionCount; i++)
        {
            var draft = Draw(account, SettledStream, i, TransactionTemplate.Settled, SettledWeight);
            balance += draft.Amount;
            var timestamp = SettledTime(account, i);
            if (timestamp >= from && timestamp <= to)
            {
                results.Add(Build(account, draft, timestamp, balance, HistoryIds(account, i, draft.DedupRoll)));
            }
        }

        if (account.Settlement is not null)
        {
            for (var p = 0; p < account.PendingCount; p++)
            {
                var draft = Draw(account, PendingStream, p, TransactionTemplate.Pending, PendingWeight);
                balance += draft.Amount;
                var timestamp = PendingTime(account, p);
                if (timestamp >= from && timestamp <= to)
                {
                    var pending = PendingIds(account, p);
                    results.Add(Build(account, draft, timestamp, balance, pending with { TransactionId = Id32(account.Key, SettledFromPendingIdStream, p) }));
                }
            }
        }

        return results;
    }

    /// <summary>The pending transactions, oldest first; none once they have settled.</summary>
    public static IReadOnlyList<TransactionResult> Pending(ConsentAccount account) =>
        account.Settlement is null ? PendingAsPending(account) : [];

    /// <summary>The pending transactions as they read once settled (new ids, running balances).</summary>
    public static IReadOnlyList<TransactionResult> SettledFromPending(ConsentAccount account)
    {
        var first = account.PendingCount == 0 ? DateTimeOffset.MaxValue : PendingTime(account, 0);
        return Settled(account, first, DateTimeOffset.MaxValue);
    }

    /// <summary><c>current</c> counts every settled transaction; <c>available</c> also the pending ones.</summary>
    public static BalanceResult Balance(ConsentAccount account, DateTimeOffset now)
    {
        var current = OpeningBalance(account);
        for (var i = 0; i < account.TransactionCount; i++)
        {
            current += Draw(account, SettledStream, i, TransactionTemplate.Settled, SettledWeight).Amount;
        }

        var pending = 0m;
        for (var p = 0; p < account.PendingCount; p++)
        {
            pending += Draw(account, PendingStream, p, TransactionTemplate.Pending, PendingWeight).Amount;
        }

        return account.Settlement is null
            ? new BalanceResult(account.Currency, current + pending, current, now)
            : new BalanceResult(account.Currency, current + pending, current + pending, now);
    }

    private static List<TransactionResult> PendingAsPending(ConsentAccount account)
    {
        var results = new List<TransactionResult>(account.PendingCount);
        for (var p = 0; p < account.PendingCount; p++)
        {
            var draft = Draw(account, PendingStream, p, TransactionTemplate.Pending, PendingWeight);
            results.Add(Build(account, draft, PendingTime(account, p), runningBalance: null, PendingIds(account, p)));
        }

        return results;
    }

    private static DateTimeOffset CreationDay(ConsentAccount account) =>
        new(account.Consent.CreatedAt.UtcDateTime.Date, TimeSpan.Zero);

    private static DateTimeOffset SettledTime(ConsentAccount account, int index)
    {
        var days = account.Consent.Shape.HistoryDays;
        var start = CreationDay(account).AddDays(-days);
        var step = days * 86_400.0 / account.TransactionCount;
        return start.AddSeconds(Math.Floor(index * step));
    }

    private static DateTimeOffset PendingTime(ConsentAccount account, int index)
    {
        var day = CreationDay(account);
        var sinceMidnight = (account.Consent.CreatedAt - day).Ticks;
        var offset = sinceMidnight * (index + 1) / (account.PendingCount + 1);
        return day.AddTicks(offset - (offset % TimeSpan.TicksPerSecond));
    }

    private static decimal OpeningBalance(ConsentAccount account) =>
        500m + (DeterministicRandom.For(account.Key, OpeningStream, 0).Next(450_000) * 0.01m);

    private static Draft Draw(ConsentAccount account, ulong stream, int index, IReadOnlyList<TransactionTemplate> templates, int totalWeight)
    {
        var random = DeterministicRandom.For(account.Key, stream, (ulong)index);
        var pick = random.Next(totalWeight);
        var template = templates[^1];
        foreach (var candidate in templates)
        {
            if (pick < candidate.Weight)
            {
                template = candidate;
                break;
            }

            pick -= candidate.Weight;
        }

        var cents = (long)(template.MinAmount * 100) + (long)(random.NextDouble() * (double)((template.MaxAmount - template.MinAmount) * 100));
        var amount = cents * 0.01m; // scale 2, so 5 serializes as 5.00
        var dedupRoll = random.NextDouble();
        var withReference = random.Chance(0.1);
        return new Draft(template, template.Type == TransactionTemplate.Debit ? -amount : amount, dedupRoll, withReference);
    }

    /// <summary>Most history has both dedup ids; some only the provider's id; a few neither (only transaction_id).</summary>
    private static Ids HistoryIds(ConsentAccount account, int index, double dedupRoll) => new(
        Id32(account.Key, SettledIdStream, index),
        dedupRoll < 0.80 ? "n" + Id32(account.Key, NormalisedStream, index)[..23] : null,
        dedupRoll < 0.95 ? Id32(account.Key, ProviderIdStream, index)[..24].ToUpperInvariant() : null);

    /// <summary>Pending transactions always carry both ids, which their settled version keeps.</summary>
    private static Ids PendingIds(ConsentAccount account, int index) => new(
        Id32(account.Key, PendingIdStream, index),
        "n" + Id32(account.Key, PendingNormalisedStream, index)[..23],
        Id32(account.Key, PendingProviderIdStream, index)[..24].ToUpperInvariant());

    private static string Id32(ulong key, ulong stream, int index) => string.Create(
        CultureInfo.InvariantCulture,
        $"{DeterministicRandom.Hash(key, stream, (ulong)index, 1):x16}{DeterministicRandom.Hash(key, stream, (ulong)index, 2):x16}");

    private static TransactionResult Build(ConsentAccount account, Draft draft, DateTimeOffset timestamp, decimal? runningBalance, Ids ids) => new(
        ids.TransactionId,
        ids.Normalised,
        ids.Provider,
        timestamp,
        draft.Template.Description,
        draft.Amount,
        account.Currency,
        draft.Template.Type,
        draft.Template.Category,
        draft.Template.Classification,
        draft.Template.Merchant,
        runningBalance is { } balance ? new RunningBalance(balance, account.Currency) : null,
        new TransactionMeta(draft.Template.ProviderCategory, draft.WithReference ? $"REF {ids.TransactionId[..8].ToUpperInvariant()}" : null));

    private readonly record struct Draft(TransactionTemplate Template, decimal Amount, double DedupRoll, bool WithReference);

    private readonly record struct Ids(string TransactionId, string? Normalised, string? Provider);
}
