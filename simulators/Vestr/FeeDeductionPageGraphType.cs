using GraphQL.Types;

namespace Tributary.Simulators.Vestr;

/// <summary>The GraphQL <c>FeeDeductionPage</c> type.</summary>
public sealed class FeeDeductionPageGraphType : ObjectGraphType<FeeDeductionPage>
{
    public FeeDeductionPageGraphType()
    {
        Name = "FeeDeductionPage";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<FeeDeductionGraphType>>>>("items").Resolve(context => context.Source.Items);
        Field<StringGraphType>("nextCursor").Resolve(context => context.Source.NextCursor);
        Field<NonNullGraphType<BooleanGraphType>>("hasMore").Resolve(context => context.Source.HasMore);
    }
}
