using Microsoft.Extensions.Options;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Faults;

/// <summary>Fails start-up on a configured fault rule that would be refused by the admin API.</summary>
public sealed class FaultOptionsValidator(SimulatedRouteRegistry routes) : IValidateOptions<FaultOptions>
{
    public ValidateOptionsResult Validate(string? name, FaultOptions options)
    {
        var failures = new List<string>();
        var known = routes.Names;
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var index = i;
            var check = FaultRuleValidator.Check(options.Rules[i], known);
            failures.AddRange(check.Errors.Select(error => error.Describe(field => ConfigKey(index, field))));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configuration key of a field: <c>Simulators:Faults:2:LatencyMs</c>.</summary>
    private static string ConfigKey(int index, string field) =>
        $"{FaultOptions.RulesSection}:{index}:{char.ToUpperInvariant(field[0])}{field[1..]}";
}
