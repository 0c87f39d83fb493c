using Microsoft.Extensions.Configuration;

namespace Tributary.Jobs;

/// <summary>
/// The registered job definitions and their effective settings: the definition's defaults overridden by
/// configuration <c>Jobs:{name}:*</c>. Built once per silo; invalid settings stop the silo with sentences.
/// </summary>
public sealed class JobCatalog
{
    private readonly Dictionary<string, (IJobDefinition Definition, JobSettings Settings)> _jobs;

    public JobCatalog(IEnumerable<IJobDefinition> definitions, IConfiguration configuration)
    {
        _jobs = new Dictionary<string, (IJobDefinition, JobSettings)>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var definition in definitions)
        {
            if (_jobs.ContainsKey(definition.Name))
            {
                problems.Add($"Two job definitions are named '{definition.Name}'.");
                continue;
            }

            var settings = definition.Defaults.Clone();
            configuration.GetSection($"Jobs:{definition.Name}").Bind(settings);
            problems.AddRange(settings.Validate(definition.Name));
            _jobs[definition.Name] = (definition, settings);
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Configuration error: " + string.Join(" ", problems));
        }
    }

    public IEnumerable<string> Names => _jobs.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, out IJobDefinition definition, out JobSettings settings)
    {
        if (_jobs.TryGetValue(name, out var entry))
        {
            (definition, settings) = entry;
            return true;
        }

        (definition, settings) = (null!, null!);
        return false;
    }

    public IReadOnlyList<JobInfo> Describe() => Names
        .Select(n => (n, _jobs[n].Definition, _jobs[n].Settings))
        .Select(j => new JobInfo(j.n, j.Definition.ItemsName, j.Settings.BatchSize, j.Settings.MaxParallelBatches,
            j.Settings.MaxAttempts, j.Settings.DynamicBatchSizing, j.Settings.Upstream))
        .ToList();
}
