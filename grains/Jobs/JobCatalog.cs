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
        var problems = Problems(definitions, configuration);
        if (problems.Count > 0)
        {
            // Checked at start already (JobRuntimeOptionsValidator); this only guards a host that skipped that check.
            throw new Microsoft.Extensions.Options.OptionsValidationException(JobRuntimeOptions.Section, typeof(JobSettings), problems);
        }

        _jobs = definitions.ToDictionary(d => d.Name, d => (d, Settings(d, configuration)), StringComparer.Ordinal);
    }

    /// <summary>Every problem of the jobs' effective settings, each a sentence naming <c>Jobs:{job}:{Setting}</c>.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<IJobDefinition> definitions, IConfiguration configuration)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (!seen.Add(definition.Name))
            {
                problems.Add($"Two job definitions are named '{definition.Name}'.");
                continue;
            }

            try
            {
                problems.AddRange(Settings(definition, configuration).Validate(definition.Name));
            }
            catch (InvalidOperationException exception)
            {
                // A value that is not even of the setting's type (BatchSize=abc): the binder's sentence names the key.
                problems.Add($"Jobs:{definition.Name}: {exception.Message}");
            }
        }

        return problems;
    }

    /// <summary>The definition's defaults overridden by <c>Jobs:{name}:*</c>.</summary>
    private static JobSettings Settings(IJobDefinition definition, IConfiguration configuration)
    {
        var settings = definition.Defaults.Clone();
        configuration.GetSection($"Jobs:{definition.Name}").Bind(settings);
        return settings;
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
