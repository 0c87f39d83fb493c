using Tributary.Storage.Dossiers;
using Xunit;

namespace Tributary.WealthX.Tests.Dossiers;

public sealed class DossierDocumentTests
{
    [Fact]
    public void FromJson_reads_the_indexed_fields_of_an_alldossiers_record()
    {
        const string Json =
            """{"ID":100234,"dossierType":"person","dossierCategory":"UHNW","firstName":"Jane","lastName":"Doe","fullName":"Jane Doe","netWorth":250000000,"lastModified":"2025-01-31"}""";

        var dossier = DossierDocument.FromJson(Json);

        Assert.Equal(new DossierDocument(100234, Json, "UHNW", "Jane Doe", "Jane", "Doe", new DateOnly(2025, 1, 31)), dossier);
    }

    [Fact]
    public void FromJson_leaves_absent_or_invalid_fields_null()
    {
        var dossier = DossierDocument.FromJson("""{"ID":"42","fullName":null,"lastModified":"yesterday"}""");

        Assert.Equal(new DossierDocument(42, """{"ID":"42","fullName":null,"lastModified":"yesterday"}""", null, null, null, null, null), dossier);
    }

    [Fact]
    public void FromJson_refuses_a_record_without_a_numeric_id()
    {
        var error = Assert.Throws<FormatException>(() => DossierDocument.FromJson("""{"fullName":"Jane Doe"}"""));

        Assert.Equal("A dossier has no numeric \"ID\"; the WealthX reply is malformed.", error.Message);
    }

    [Fact]
    public void The_content_hash_ignores_property_order_and_whitespace_but_not_values()
    {
        var hash = DossierContentHash.Compute("""{"ID":1,"a":[1,2],"b":{"y":"\u00e9","x":null}}""");

        Assert.Equal(hash, DossierContentHash.Compute("""{ "b": { "x": null, "y": "é" }, "a": [ 1, 2 ], "ID": 1 }"""));
        Assert.NotEqual(hash, DossierContentHash.Compute("""{"ID":1,"a":[2,1],"b":{"y":"é","x":null}}"""));
        Assert.NotEqual(hash, DossierContentHash.Compute("""{"ID":1,"a":[1,2],"b":{"y":"e","x":null}}"""));
        Assert.Equal(64, hash.Length);
        Assert.Equal(
            """{"ID":1,"a":[1,2],"b":{"x":null,"y":"é"}}""",
            System.Text.Encoding.UTF8.GetString(DossierContentHash.Canonicalize(System.Text.Json.JsonDocument.Parse("""{"b":{"y":"\u00e9","x":null},"a":[1,2],"ID":1}""").RootElement)));
    }
}
