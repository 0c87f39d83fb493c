using System.Text.Json.Serialization;

namespace Tributary.Simulators.Vestr;

/// <summary>A GraphQL response carrying only errors: <c>{"errors":[{"message","extensions":{"code","retryAfter"}}]}</c>.</summary>
public sealed record GraphQLErrorBody(IReadOnlyList<GraphQLErrorEntry> Errors)
{
    public static GraphQLErrorBody Of(string message, string code, int? retryAfter = null) =>
        new([new GraphQLErrorEntry(message, new GraphQLErrorExtensions(code, retryAfter))]);
}

/// <summary>One entry of <see cref="GraphQLErrorBody.Errors"/>.</summary>
public sealed record GraphQLErrorEntry(string Message, GraphQLErrorExtensions Extensions);

/// <summary><c>extensions</c>: the machine-readable code, and for <c>RATE_LIMITED</c> the seconds to wait.</summary>
public sealed record GraphQLErrorExtensions(
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RetryAfter);
