using Microsoft.Extensions.Options;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Faults;

/// <summary>
/// The fault rules in force, and the decision of which one (if any) hits a request. Thread-safe: requests draw
/// while tests change the rules through the admin API.
/// </summary>
/// <remarks>
/// Rules are tried in the order they were added and the first one that fires wins, so a request meets at most one
/// fault. Probability draws come from one <see cref="Random"/> seeded by <see cref="FaultOptions.Seed"/> and
/// re-seeded whenever the rules are replaced or cleared, so a given sequence of requests meets the same faults on
/// every run.
/// </remarks>
public sealed class FaultBook
{
    private readonly Lock _gate = new();
    private readonly List<ArmedRule> _rules = [];
    private readonly int _seed;
    private Random _random;
    private long _lastId;

    public FaultBook(IOptions<FaultOptions> options, SimulatedRouteRegistry routes)
    {
        _seed = options.Value.Seed;
        _random = new Random(_seed);
        foreach (var spec in options.Value.Rules)
        {
            // Start-up validation has already refused bad rules with a sentence naming the setting; this guards
            // against the book being built before that validation ran.
            var rule = FaultRuleValidator.Check(spec, routes.Names).Rule
                ?? throw new InvalidOperationException($"A rule in {FaultOptions.RulesSection} is invalid; see the start-up validation errors.");
            _rules.Add(new ArmedRule(++_lastId, rule));
        }
    }

    /// <summary>
    /// Picks the fault for one request to <paramref name="route"/> at <paramref name="path"/>, counting it against
    /// its rule.
    /// </summary>
    public FaultRule? Draw(string route, string path)
    {
        lock (_gate)
        {
            foreach (var armed in _rules)
            {
                if (!armed.Rule.Matches(route, path) || armed.Remaining is 0)
                {
                    continue;
                }

                if (armed.Rule.Probability is { } probability && _random.NextDouble() >= probability)
                {
                    continue;
                }

                if (armed.Remaining is not null)
                {
                    armed.Remaining--;
                }

                armed.Fired++;
                return armed.Rule;
            }

            return null;
        }
    }

    public IReadOnlyList<FaultRuleState> Snapshot()
    {
        lock (_gate)
        {
            return [.. _rules.Select(armed => armed.ToState())];
        }
    }

    /// <summary>Replaces every rule and re-seeds the random source.</summary>
    public IReadOnlyList<FaultRuleState> Replace(IEnumerable<FaultRule> rules)
    {
        lock (_gate)
        {
            _rules.Clear();
            _random = new Random(_seed);
            foreach (var rule in rules)
            {
                _rules.Add(new ArmedRule(++_lastId, rule));
            }

            return [.. _rules.Select(armed => armed.ToState())];
        }
    }

    /// <summary>Adds a rule after the existing ones.</summary>
    public FaultRuleState Add(FaultRule rule)
    {
        lock (_gate)
        {
            var armed = new ArmedRule(++_lastId, rule);
            _rules.Add(armed);
            return armed.ToState();
        }
    }

    /// <summary>Removes one rule; false if no rule has that id.</summary>
    public bool Remove(long id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(armed => armed.Id == id) > 0;
        }
    }

    /// <summary>Removes every rule and re-seeds the random source.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _random = new Random(_seed);
        }
    }

    private sealed class ArmedRule(long id, FaultRule rule)
    {
        public long Id { get; } = id;

        public FaultRule Rule { get; } = rule;

        public int? Remaining { get; set; } = rule.Count;

        public long Fired { get; set; }

        public FaultRuleState ToState() => new(
            Id,
            Rule.Route,
            FaultKindNames.ToName(Rule.Kind),
            Rule.Probability,
            Rule.Count,
            Rule.RetryAfterSeconds,
            Rule.Status,
            Rule.LatencyMs,
            Rule.PathContains,
            Remaining,
            Fired);
    }
}
