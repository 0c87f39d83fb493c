using Tributary.Connectors.Credinvest;

namespace Tributary.Connectors.Tests.Credinvest;

/// <summary>The seed's selection rules, each with exact file lists.</summary>
public sealed class InteSelectionTests
{
    private static InteSelection Select(params string[] names) =>
        InteSelection.Of(names.Select(n => new RemoteFile(n, 100, DateTimeOffset.UnixEpoch)));

    private static string[] Selected(InteSelection selection) => [.. selection.Selected.Select(f => f.Name)];

    [Fact]
    public void The_latest_file_per_account_and_type_is_taken()
    {
        var selection = Select(
            "12345-20261127180000-INTE100F.xlsx",
            "12345-20261126180000-INTE100F.xlsx",
            "12345-20261127181500-INTE400F.xlsx",
            "12345-20261125090000-INTE400F.xlsx",
            "777-20261127170000-INTE100F.xlsx");

        Assert.Equal(["12345-20261127180000-INTE100F.xlsx", "12345-20261127181500-INTE400F.xlsx", "777-20261127170000-INTE100F.xlsx"], Selected(selection));
        Assert.Equal(["12345-20261125090000-INTE400F.xlsx", "12345-20261126180000-INTE100F.xlsx"], selection.LeftOut.Select(l => l.Name).ToArray());
        Assert.Equal("a newer INTE100F of account 12345 exists (12345-20261127180000-INTE100F.xlsx)",
            selection.LeftOut.Single(l => l.Name == "12345-20261126180000-INTE100F.xlsx").Reason);
    }

    [Fact]
    public void A_pair_more_than_a_day_apart_keeps_only_the_newer_and_exactly_a_day_apart_keeps_both()
    {
        var apart = Select("100-20261127180000-INTE100F.xlsx", "100-20261126175959-INTE400F.xlsx");
        Assert.Equal(["100-20261127180000-INTE100F.xlsx"], Selected(apart));
        Assert.StartsWith("more than one day older than account 100's INTE100F", apart.LeftOut.Single().Reason, StringComparison.Ordinal);

        var exactly = Select("100-20261127180000-INTE100F.xlsx", "100-20261126180000-INTE400F.xlsx");
        Assert.Equal(["100-20261127180000-INTE100F.xlsx", "100-20261126180000-INTE400F.xlsx"], Selected(exactly));
        Assert.Empty(exactly.LeftOut);
    }

    [Fact]
    public void Files_more_than_three_days_older_than_the_newest_are_skipped_and_exactly_three_days_are_kept()
    {
        var selection = Select(
            "1-20261130120000-INTE100F.xlsx",
            "2-20261127120000-INTE100F.xlsx",
            "3-20261127115959-INTE100F.xlsx",
            "4-20261101120000-INTE400F.xlsx");

        Assert.Equal(["1-20261130120000-INTE100F.xlsx", "2-20261127120000-INTE100F.xlsx"], Selected(selection));
        Assert.Equal(["3-20261127115959-INTE100F.xlsx", "4-20261101120000-INTE400F.xlsx"], selection.LeftOut.Select(l => l.Name).ToArray());
        Assert.All(selection.LeftOut, l => Assert.Equal("more than three days older than the newest INTE file (2026-11-30 12:00:00)", l.Reason));
    }

    [Fact]
    public void Bad_names_are_ignored_and_counted()
    {
        var selection = Select(
            "12345-20261127180000-INTE100F.xlsx",
            "readme.txt",
            "12345-20261127180000-INTE200F.xlsx",
            "abc-20261127180000-INTE100F.xlsx",
            "12345-20261327180000-INTE400F.xlsx",
            "12345-20261127180000-INTE100F.xls");

        Assert.Equal(["12345-20261127180000-INTE100F.xlsx"], Selected(selection));
        Assert.Equal(5, selection.Ignored);
        Assert.Equal("its timestamp 20261327180000 is not a date and time (yyyyMMddHHmmss)",
            selection.LeftOut.Single(l => l.Name == "12345-20261327180000-INTE400F.xlsx").Reason);
        Assert.Empty(Select("readme.txt").Selected);
    }
}
