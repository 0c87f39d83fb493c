using GraphQL.Types;

namespace Tributary.Simulators.Vestr;

/// <summary>The GraphQL <c>FeeDeduction</c> type (GraphQL.NET's <c>Date</c> scalar takes a midnight <see cref="DateTime"/>). <c>amount</c> and <c>outstandingQuantity</c> are the <c>Decimal</c> scalar: JSON numbers, amounts with exactly 2 decimals.</summary>
public sealed class FeeDeductionGraphType : ObjectGraphType<FeeDeduction>
{
    public FeeDeductionGraphType()
    {
        Name = "FeeDeduction";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id);
        Field<NonNullGraphType<DateGraphType>>("bookingDate").Resolve(context => context.Source.BookingDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        Field<NonNullGraphType<DecimalGraphType>>("amount").Resolve(context => context.Source.Amount);
        Field<NonNullGraphType<StringGraphType>>("currency").Resolve(context => context.Source.Currency);
        Field<NonNullGraphType<FeeTypeGraphType>>("feeType").Resolve(context => context.Source.FeeType);
        Field<NonNullGraphType<StringGraphType>>("productIsin").Resolve(context => context.Source.ProductIsin);
        Field<StringGraphType>("productName").Resolve(context => context.Source.ProductName);
        Field<DecimalGraphType>("outstandingQuantity").Resolve(context => context.Source.OutstandingQuantity);
    }
}
