using GraphQL.Types;

namespace Tributary.Simulators.Vestr;

/// <summary>
/// Vestr's schema as PROTOCOLS.md gives it (an assumption: Vestr publishes none):
/// <code>
/// enum FeeType { MANAGEMENT PERFORMANCE CUSTODY }
/// type FeeDeduction { id: ID! bookingDate: Date! amount: Decimal! currency: String! feeType: FeeType! productIsin: String! productName: String outstandingQuantity: Decimal }
/// type FeeDeductionPage { items: [FeeDeduction!]! nextCursor: String hasMore: Boolean! }
/// type Query { feeDeductions(from: Date!, to: Date!, cursor: String, first: Int = 100): FeeDeductionPage! }
/// </code>
/// </summary>
public sealed class FeeDeductionsSchema : Schema
{
    public FeeDeductionsSchema()
    {
        Query = new FeeQueryType();
    }
}
