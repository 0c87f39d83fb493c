namespace Tributary.Simulators.TrueLayer;

/// <summary>Whether an account of a consent is a bank account (<c>/accounts</c>) or a card (<c>/cards</c>).</summary>
public enum ConsentAccountKind
{
    Account,
    Card,
}

/// <summary>The wire names of <see cref="ConsentAccountKind"/>.</summary>
public static class ConsentAccountKinds
{
    /// <summary><c>account</c> or <c>card</c>, as the admin API names them.</summary>
    public static string ToName(ConsentAccountKind kind) => kind == ConsentAccountKind.Card ? "card" : "account";

    /// <summary>The Data API path segment, <c>accounts</c> or <c>cards</c>; null for any other segment.</summary>
    public static ConsentAccountKind? FromSegment(string segment) => segment switch
    {
        "accounts" => ConsentAccountKind.Account,
        "cards" => ConsentAccountKind.Card,
        _ => null,
    };
}
