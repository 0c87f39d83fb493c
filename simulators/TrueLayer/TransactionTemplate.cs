namespace Tributary.Simulators.TrueLayer;

/// <summary>A kind of transaction the ledger draws from: how it reads and how large it is.</summary>
/// <param name="Weight">Relative frequency among the templates.</param>
public sealed record TransactionTemplate(
    string Description,
    string? Merchant,
    string Category,
    IReadOnlyList<string> Classification,
    string Type,
    string ProviderCategory,
    decimal MinAmount,
    decimal MaxAmount,
    int Weight)
{
    public const string Debit = "DEBIT";
    public const string Credit = "CREDIT";

    /// <summary>
    /// Settled transactions. Descriptions carry recognisable words (TESCO, AMAZON, UBER, SALARY, RENT, ...) so
    /// category rules can be tested; some have no merchant and a few no classification, as real banks send.
    /// </summary>
    public static readonly IReadOnlyList<TransactionTemplate> Settled =
    [
        new("TESCO STORES 2231", "Tesco", "PURCHASE", ["Shopping", "Groceries"], Debit, "POS", 4.10m, 96.50m, 14),
        new("SAINSBURYS S/MKTS", "Sainsbury's", "PURCHASE", ["Shopping", "Groceries"], Debit, "POS", 3.20m, 88.00m, 8),
        new("AMAZON.CO.UK*MK1AB2", "Amazon", "PURCHASE", ["Shopping", "General"], Debit, "POS", 6.99m, 149.99m, 10),
        new("UBER *TRIP HELP.UBER.COM", "Uber", "PURCHASE", ["Transport", "Taxi"], Debit, "POS", 5.40m, 38.90m, 8),
        new("PRET A MANGER LONDON", "Pret A Manger", "PURCHASE", ["Food & Dining", "Fast Food"], Debit, "POS", 2.50m, 12.80m, 7),
        new("STARBUCKS COFFEE", "Starbucks", "PURCHASE", ["Food & Dining", "Coffee shops"], Debit, "POS", 2.20m, 7.90m, 6),
        new("NETFLIX.COM", "Netflix", "DIRECT_DEBIT", ["Entertainment", "Movies & DVDs"], Debit, "DD", 10.99m, 17.99m, 3),
        new("BRITISH GAS ENERGY", "British Gas", "DIRECT_DEBIT", ["Bills and Utilities", "Utilities"], Debit, "DD", 45.00m, 140.00m, 3),
        new("COUNCIL TAX LBH", null, "BILL_PAYMENT", ["Bills and Utilities", "Taxes"], Debit, "BP", 120.00m, 190.00m, 2),
        new("RENT PAYMENT FLAT 4", null, "TRANSFER", ["Home", "Rent"], Debit, "SO", 850.00m, 1450.00m, 3),
        new("CASH WITHDRAWAL LINK ATM", null, "ATM", ["Cash", "ATM"], Debit, "ATM", 10.00m, 200.00m, 4),
        new("TFL TRAVEL CH", "Transport for London", "PURCHASE", ["Transport", "Public Transport"], Debit, "POS", 1.75m, 8.50m, 6),
        new("TRANSFER TO SAVINGS", null, "TRANSFER", [], Debit, "TFR", 20.00m, 300.00m, 3),
        new("SALARY ACME WIDGETS LTD", null, "CREDIT", ["Income", "Salary"], Credit, "BGC", 2400.00m, 3600.00m, 6),
        new("TRANSFER FROM J SMITH", null, "TRANSFER", [], Credit, "FPI", 15.00m, 250.00m, 4),
        new("INTEREST PAID", null, "CREDIT", ["Income", "Interest"], Credit, "INT", 0.05m, 6.50m, 2),
        new("AMAZON REFUND", "Amazon", "CREDIT", ["Shopping", "General"], Credit, "POS", 6.99m, 49.99m, 1),
    ];

    /// <summary>Pending transactions: card payments not yet booked.</summary>
    public static readonly IReadOnlyList<TransactionTemplate> Pending =
    [
        new("TESCO STORES 2231", "Tesco", "PURCHASE", ["Shopping", "Groceries"], Debit, "POS", 4.10m, 96.50m, 3),
        new("UBER *TRIP HELP.UBER.COM", "Uber", "PURCHASE", ["Transport", "Taxi"], Debit, "POS", 5.40m, 38.90m, 2),
        new("AMAZON.CO.UK*PENDING", "Amazon", "PURCHASE", ["Shopping", "General"], Debit, "POS", 6.99m, 149.99m, 2),
        new("STARBUCKS COFFEE", "Starbucks", "PURCHASE", ["Food & Dining", "Coffee shops"], Debit, "POS", 2.20m, 7.90m, 1),
    ];
}
