using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Tributary.WealthX.Tests.Dossiers;

/// <summary>
/// A contract test: runs in every concrete subclass of the contract, and is reported skipped in a subclass marked
/// with <see cref="RequiresEnvironmentVariableAttribute"/> when that variable is not set.
/// </summary>
/// <remarks>
/// The facts live on the abstract base, so a plain <see cref="FactAttribute"/> cannot know which store it runs
/// against; the discoverer looks at the test class instead.
/// </remarks>
[XunitTestCaseDiscoverer("Tributary.WealthX.Tests.Dossiers.StoreFactDiscoverer", "Tributary.WealthX.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The contract tests of the marked class need <see cref="Name"/> (for example a server's address).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentVariableAttribute(string name, string purpose) : Attribute
{
    public string Name { get; } = name;

    public string Purpose { get; } = purpose;
}

/// <summary>Turns a <see cref="StoreFactAttribute"/> into a test case, or a skipped one (with the reason) when the class's variable is unset.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var requirement = testMethod.TestClass.Class
            .GetCustomAttributes(typeof(RequiresEnvironmentVariableAttribute).AssemblyQualifiedName)
            .FirstOrDefault();
        if (requirement is not null)
        {
            var arguments = requirement.GetConstructorArguments().Cast<string>().ToList();
            var (name, purpose) = (arguments[0], arguments[1]);
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name)))
            {
                return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, $"{name} is not set: {purpose}")];
            }
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
