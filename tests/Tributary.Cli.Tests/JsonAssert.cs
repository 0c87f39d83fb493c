namespace Tributary.Cli.Tests;

internal static class JsonAssert
{
    /// <summary>The command line printed exactly what the gateway answers.</summary>
    public static void Same(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString()}\n but the command line printed {actual?.ToJsonString()}");

    public static string Text(JsonNode? node, string field) => node?[field]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"no {field} in {node?.ToJsonString()}");
}
