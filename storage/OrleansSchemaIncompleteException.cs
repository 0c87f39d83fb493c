namespace Tributary.Storage;

/// <summary>
/// The database lacks the <c>OrleansQuery</c> catalogue or some of its query keys, so the Orleans ADO.NET providers
/// would refuse to start.
/// </summary>
public sealed class OrleansSchemaIncompleteException : InvalidOperationException
{
    public OrleansSchemaIncompleteException()
    {
    }

    public OrleansSchemaIncompleteException(string message)
        : base(message)
    {
    }

    public OrleansSchemaIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The required query keys that are missing (all of them when the table itself is missing).</summary>
    public IReadOnlyList<string> MissingKeys { get; init; } = [];
}
