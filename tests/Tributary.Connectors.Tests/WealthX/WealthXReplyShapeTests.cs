using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Tributary.Connectors.WealthX;

namespace Tributary.Connectors.Tests.WealthX;

/// <summary>
/// Well-formed JSON that is not a dossier page, which the simulator never sends: a canned reply stands in for
/// WealthX so each shape the connector reads (PROTOCOLS.md's assumption) is checked on its own.
/// </summary>
public sealed class WealthXReplyShapeTests
{
    [Theory]
    [InlineData("""{"totalDossiers":3,"lastIndexId":0}""", "it has no dossiers array")]
    [InlineData("""{"totalDossiers":3,"lastIndexId":0,"dossiers":{}}""", "it has no dossiers array")]
    [InlineData("""[]""", "the body is a JSON array, not an object")]
    [InlineData("""{"lastIndexId":1,"dossiers":[{"ID":100001}]}""", "totalDossiers is missing or not a whole number of 0 or more")]
    [InlineData("""{"totalDossiers":3,"lastIndexId":2,"dossiers":[{"ID":100001},{"id":100002}]}""", "dossiers[1] is not an object with a numeric ID")]
    [InlineData("""{"totalDossiers":3,"lastIndexId":"1","dossiers":[{"ID":100001}]}""", "lastIndexId is not a whole number")]
    public async Task AReplyWithoutThePageShapeIsMalformedAndTransient(string body, string why)
    {
        var client = Client(body);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => client.GetPageAsync(1, 2, CancellationToken.None));

        Assert.Equal(((int?)200, true), (failure.StatusCode, failure.IsTransient));
        Assert.Equal(
            $"WealthX answered GET alldossiers?fromIndex=1&toIndex=2 with a malformed body, not the expected dossier page ({why}). "
            + "This is usually a truncated reply: retry later; if it persists, WealthX's format has changed and this connector needs updating.",
            failure.Message);
    }

    [Fact]
    public async Task AMissingLastIndexIdIsTheLastIndexReturned()
    {
        var client = Client("""{"totalDossiers":42,"dossiers":[{"ID":7},{"ID":9}]}""");

        var page = await client.GetPageAsync(11, 20, CancellationToken.None);

        Assert.Equal((42, 12), (page.TotalDossiers, page.LastIndexId));
        Assert.Equal(["""{"ID":7}""", """{"ID":9}"""], page.Dossiers.Select(dossier => dossier.GetRawText()));
    }

    private static WealthXClient Client(string body) => new(
        new HttpClient(new CannedReply(body)),
        Options.Create(new WealthXOptions { BaseUrl = "http://wealthx.test/rest/v1/", Username = "user", Password = "secret" }),
        TimeProvider.System);

    private sealed class CannedReply(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
