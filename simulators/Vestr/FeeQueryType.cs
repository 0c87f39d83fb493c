using GraphQL;
using GraphQL.Types;

namespace Tributary.Simulators.Vestr;

/// <summary>The GraphQL <c>Query</c> type: <c>feeDeductions(from: Date!, to: Date!, cursor: String, first: Int = 100): FeeDeductionPage!</c>.</summary>
public sealed class FeeQueryType : ObjectGraphType
{
    public FeeQueryType()
    {
        Name = "Query";
        Field<NonNullGraphType<FeeDeductionPageGraphType>>("feeDeductions")
            .Argument<NonNullGraphType<DateGraphType>>("from")
            .Argument<NonNullGraphType<DateGraphType>>("to")
            .Argument<StringGraphType>("cursor")
            .Argument<IntGraphType>("first", argument => argument.DefaultValue = VestrRoutes.DefaultPageSize)
            .Resolve(Resolve);
    }

    private static FeeDeductionPage Resolve(IResolveFieldContext<object?> context)
    {
        var from = DateArgument(context, "from");
        var to = DateArgument(context, "to");
        var first = context.GetArgument("first", VestrRoutes.DefaultPageSize);
        if (first is < 1 or > VestrRoutes.MaxPageSize)
        {
            throw BadInput($"first must be 1..{VestrRoutes.MaxPageSize}; was {first}.");
        }

        if (from > to)
        {
            throw BadInput($"from ({from:yyyy-MM-dd}) must be on or before to ({to:yyyy-MM-dd}).");
        }

        FeeCursor? after = null;
        if (context.GetArgument<string?>("cursor") is { } cursor)
        {
            after = FeeCursor.TryDecode(cursor) ?? throw BadInput("cursor is not one this API issued: pass a page's nextCursor unchanged, or none for the first page.");
        }

        var ledger = context.RequestServices!.GetRequiredService<FeeLedger>();
        return ledger.Page(from, to, after, first);
    }

    private static DateOnly DateArgument(IResolveFieldContext context, string name) => context.GetArgument<object>(name) switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        var other => throw BadInput($"{name} must be a date (yyyy-MM-dd); was '{other}'."),
    };

    private static ExecutionError BadInput(string message) => new(message) { Code = VestrRoutes.BadUserInput };
}
