namespace Tributary.Connectors.TrueLayer;

/// <summary>Which Data API collection an account lives in: <c>/accounts</c> (current, savings) or <c>/cards</c> (credit cards).</summary>
public enum TrueLayerAccountKind
{
    Account,
    Card,
}
