using GraphQL.Types;

namespace Tributary.Simulators.Vestr;

/// <summary>The GraphQL <c>FeeType</c> enum.</summary>
public sealed class FeeTypeGraphType : EnumerationGraphType<FeeType>
{
    public FeeTypeGraphType()
    {
        Name = "FeeType";
    }
}
