using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Simulators.Data;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// Every fee deduction of the simulated Vestr account: generated lazily, day by day, from <c>DataSeed</c>, with the
/// late corrections made through the admin API laid over them, and the rate-limit knob.
/// </summary>
/// <remarks>
/// A day's deductions are a pure function of the seed, the product and the day, so any page is produced alone:
/// 20 products x 400 days is at most a few thousand small records and a page never generates more than it skips
/// over from the cursor's day on.
/// Schedule: management fee on business days (Monday to Friday) except about 1 in 20, performance fee on the last
/// business day of each month, custody fee on the first business day of each quarter.
/// </remarks>
public sealed class FeeLedger
{
    private const ulong ProductStream = 0x5645_5354_5250;
    private const ulong FeeStream = 0x5645_5354_5246;
    private const ulong QuantityStream = 0x5645_5354_5251;
    private const ulong CorrectionStream = 0x5645_5354_5243;

    private static readonly string[] Currencies = ["CHF", "EUR", "USD"];
    private static readonly string[] Themes =
    [
        "Swiss Dividend", "Global Tech Leaders", "Healthcare Innovation", "Clean Energy", "European Quality",
        "US Momentum", "Asia Consumer", "Gold Miners", "Fixed Income Ladder", "Robotics and AI", "Water Infrastructure",
        "Digital Assets", "Luxury Brands", "Emerging Markets Value", "Cybersecurity",
    ];

    private static readonly string[] Wrappers = ["AMC", "Tracker Certificate", "Actively Managed Certificate"];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ulong _seed;
    private readonly Dictionary<string, decimal> _corrections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FeeProduct> _rebookings = new(StringComparer.Ordinal);
    private int _correctionRounds;
    private int _rateLimitedRemaining;
    private int _rateLimitRetryAfterSeconds = 1;

    public FeeLedger(IOptions<VestrOptions> options, TimeProvider time)
    {
        Options = options.Value;
        _time = time;
        _seed = (ulong)Options.DataSeed;
        Products = [.. Enumerable.Range(0, Options.Products).Select(MakeProduct)];
    }

    public VestrOptions Options { get; }

    public IReadOnlyList<FeeProduct> Products { get; }

    /// <summary>Today, UTC, by the host's clock: the last day with deductions.</summary>
    public DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    /// <summary>The first day with deductions: <c>Days</c> days up to and including today.</summary>
    public DateOnly FirstDay => Today.AddDays(1 - Options.Days);

    /// <summary>Deductions booked from <paramref name="from"/> to <paramref name="to"/> (inclusive), ordered by (booking date, id), after <paramref name="after"/> if given; corrections applied.</summary>
    public IEnumerable<FeeDeduction> Deductions(DateOnly from, DateOnly to, FeeCursor? after = null)
    {
        var today = Today;
        var first = FirstDay;
        var start = from < first ? first : from;
        if (after is not null && after.BookingDate > start)
        {
            start = after.BookingDate;
        }

        var end = to > today ? today : to;
        for (var day = start; day <= end; day = day.AddDays(1))
        {
            foreach (var deduction in Day(day))
            {
                if (after is null || after.IsBefore(deduction))
                {
                    yield return deduction;
                }
            }
        }
    }

    /// <summary>One page: at most <paramref name="first"/> items after <paramref name="after"/>.</summary>
    public FeeDeductionPage Page(DateOnly from, DateOnly to, FeeCursor? after, int first)
    {
        var items = Deductions(from, to, after).Take(first + 1).ToList();
        var hasMore = items.Count > first;
        if (hasMore)
        {
            items.RemoveAt(first);
        }

        return new FeeDeductionPage(items, hasMore ? FeeCursor.Of(items[^1]).Encode() : null, hasMore);
    }

    /// <summary>
    /// Changes the amount of <paramref name="count"/> deductions booked in the last 30 days that were not corrected
    /// before (chosen deterministically from the seed and the number of earlier rounds) and records the new amounts.
    /// </summary>
    /// <param name="count">How many deductions to correct.</param>
    /// <param name="rebook">Move each to another product (same id, day, amount and currency) instead of changing its amount.</param>
    /// <returns>The corrections, or null when fewer than <paramref name="count"/> deductions are left to correct.</returns>
    public IReadOnlyList<FeeCorrection>? Correct(int count, bool rebook = false)
    {
        var today = Today;
        lock (_gate)
        {
            var candidates = Deductions(today.AddDays(1 - VestrRoutes.CorrectionWindowDays), today)
                .Where(deduction => !_corrections.ContainsKey(deduction.Id) && !_rebookings.ContainsKey(deduction.Id))
                .ToList();
            if (candidates.Count < count || (rebook && Products.Count < 2))
            {
                return null;
            }

            var random = DeterministicRandom.For(_seed, CorrectionStream, (ulong)_correctionRounds++);
            var corrections = new List<FeeCorrection>(count);
            foreach (var deduction in random.PickDistinct(candidates, count))
            {
                if (rebook)
                {
                    var from = Products.Single(p => p.Isin == deduction.ProductIsin);
                    var to = Products[(from.Index + 1 + random.Next(0, Products.Count - 1)) % Products.Count];
                    _rebookings[deduction.Id] = to;
                    corrections.Add(new FeeCorrection(deduction.Id, deduction.BookingDate, deduction.Amount, deduction.Amount, from.Isin, to.Isin));
                    continue;
                }

                var cents = ToCents(deduction.Amount);
                var factor = (random.Chance(0.5) ? 0.85 : 1.05) + random.NextDouble() * 0.1;
                var corrected = Math.Max(1, (long)Math.Round(cents * factor));
                if (corrected == cents)
                {
                    corrected = cents + 1;
                }

                var amount = Money(corrected);
                _corrections[deduction.Id] = amount;
                corrections.Add(new FeeCorrection(deduction.Id, deduction.BookingDate, deduction.Amount, amount));
            }

            return [.. corrections.OrderBy(correction => correction.BookingDate).ThenBy(correction => correction.Id, StringComparer.Ordinal)];
        }
    }

    public int CorrectionCount
    {
        get
        {
            lock (_gate)
            {
                return _corrections.Count + _rebookings.Count;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> GraphQL requests answer <c>RATE_LIMITED</c> with <paramref name="retryAfterSeconds"/>.</summary>
    public void RateLimitNext(int count, int retryAfterSeconds)
    {
        lock (_gate)
        {
            _rateLimitedRemaining = count;
            _rateLimitRetryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>Takes one rate-limited answer if any are left: the seconds to send as <c>retryAfter</c>.</summary>
    public int? TakeRateLimited()
    {
        lock (_gate)
        {
            if (_rateLimitedRemaining <= 0)
            {
                return null;
            }

            _rateLimitedRemaining--;
            return _rateLimitRetryAfterSeconds;
        }
    }

    public int RateLimitedRemaining
    {
        get
        {
            lock (_gate)
            {
                return _rateLimitedRemaining;
            }
        }
    }

    /// <summary>Forgets every correction and the rate-limit knob.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _corrections.Clear();
            _rebookings.Clear();
            _correctionRounds = 0;
            _rateLimitedRemaining = 0;
            _rateLimitRetryAfterSeconds = 1;
        }
    }

    /// <summary>The deductions booked on one day, ordered by id.</summary>
    private List<FeeDeduction> Day(DateOnly day)
    {
        var list = new List<FeeDeduction>();
        var business = IsBusinessDay(day);
        var lastOfMonth = business && LastBusinessDayOfMonth(day) == day;
        var firstOfQuarter = business && (day.Month - 1) % 3 == 0 && FirstBusinessDayOfMonth(day) == day;
        foreach (var product in Products)
        {
            if (business && !Random(product, day, FeeType.Management).Chance(0.05))
            {
                list.Add(Make(product, day, FeeType.Management));
            }

            if (lastOfMonth)
            {
                list.Add(Make(product, day, FeeType.Performance));
            }

            if (firstOfQuarter)
            {
                list.Add(Make(product, day, FeeType.Custody));
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    private FeeDeduction Make(FeeProduct product, DateOnly day, FeeType type)
    {
        var random = Random(product, day, type);
        random.NextUInt64(); // the first draw decided whether a management fee is booked at all
        var cents = type switch
        {
            FeeType.Management => (long)(product.ManagementCents * (0.9 + random.NextDouble() * 0.2)),
            FeeType.Performance => random.Next(5_000, 2_500_000),
            _ => product.ManagementCents * random.Next(20, 60),
        };
        var id = $"fee-{product.Isin}-{day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{type.ToString().ToLowerInvariant()}";
        lock (_gate)
        {
            var amount = _corrections.TryGetValue(id, out var corrected) ? corrected : Money(Math.Max(1, cents));
            var bookedTo = _rebookings.GetValueOrDefault(id) ?? product;
            return new FeeDeduction(id, day, amount, product.Currency, type, bookedTo.Isin, bookedTo.Name, Quantity(product, day));
        }
    }

    /// <summary>Outstanding units: a weekly level around the product's base, so it changes over time.</summary>
    private decimal Quantity(FeeProduct product, DateOnly day)
    {
        var random = DeterministicRandom.For(_seed, QuantityStream, (ulong)product.Index, (ulong)(day.DayNumber / 7));
        return (long)(product.BaseQuantity * (0.8 + random.NextDouble() * 0.4));
    }

    private DeterministicRandom Random(FeeProduct product, DateOnly day, FeeType type) =>
        DeterministicRandom.For(_seed, FeeStream, (ulong)product.Index, ((ulong)day.DayNumber * 4) + (ulong)type);

    private FeeProduct MakeProduct(int index)
    {
        var random = DeterministicRandom.For(_seed, ProductStream, (ulong)index);
        var body = "CH" + random.Next(100_000_000, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
        var isin = body + IsinCheckDigit(body);
        var name = index % 10 == 9 ? null : $"Vestr {random.Pick(Themes)} {random.Pick(Wrappers)}";
        return new FeeProduct(index, isin, name, Currencies[index % Currencies.Length], random.Next(2_000, 40_000), random.Next(1_000, 100_000));
    }

    /// <summary>The ISIN check digit (ISO 6166): letters to numbers (A=10), then Luhn over the digits.</summary>
    public static int IsinCheckDigit(string firstEleven)
    {
        var digits = string.Concat(firstEleven.Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(CultureInfo.InvariantCulture) : c.ToString()));
        var sum = 0;
        var doubleIt = true; // the rightmost digit of the payload is doubled, as the check digit will follow it
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return (10 - (sum % 10)) % 10;
    }

    private static decimal Money(long cents) => cents * 0.01m;

    private static long ToCents(decimal amount) => (long)(amount * 100m);

    private static bool IsBusinessDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static DateOnly LastBusinessDayOfMonth(DateOnly day)
    {
        var last = new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));
        while (!IsBusinessDay(last))
        {
            last = last.AddDays(-1);
        }

        return last;
    }

    private static DateOnly FirstBusinessDayOfMonth(DateOnly day)
    {
        var first = new DateOnly(day.Year, day.Month, 1);
        while (!IsBusinessDay(first))
        {
            first = first.AddDays(1);
        }

        return first;
    }
}
