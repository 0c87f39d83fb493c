using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tributary.Simulators.Tests.Vestr;

/// <summary>
/// <c>feeDeductions</c> over real HTTP: paging to the end against the admin dump, the data's shape, corrections,
/// <c>RATE_LIMITED</c>, the fault layer's 429, <c>BAD_USER_INPUT</c> and <c>UNAUTHENTICATED</c>.
/// </summary>
public sealed partial class VestrGraphQLTests
{
    private const string From = "2025-10-22"; // 400 days up to and including 2026-11-25
    private const string To = "2026-11-25";

    [Fact]
    public async Task PagingToTheEndReturnsEveryDeductionOnceAndMatchesTheAdminDump()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();
        var items = new List<JsonElement>();
        var pages = 0;
        string? cursor = null;
        int amountsWithTwoDecimals = 0;
        while (true)
        {
            var (page, text) = await simulator.FeesAsync(token, "2020-01-01", "2030-12-31", cursor, first: 250);
            pages++;
            var batch = page.GetProperty("items").EnumerateArray().ToList();
            items.AddRange(batch);
            amountsWithTwoDecimals += AmountPattern().Count(text);
            if (!page.GetProperty("hasMore").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
                break;
            }

            Assert.Equal(250, batch.Count);
            cursor = page.GetProperty("nextCursor").GetString();
        }

        var dump = await simulator.AdminDeductionsAsync();
        var ids = items.Select(item => item.GetProperty("id").GetString()!).ToList();
        var keys = items.Select(item => (item.GetProperty("bookingDate").GetString()!, item.GetProperty("id").GetString()!)).ToList();

        Assert.Equal(dump.Length, items.Count);
        Assert.Equal((dump.Length + 249) / 250, pages);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(dump.Select(Row), items.Select(Row));
        Assert.Equal(keys.OrderBy(key => key.Item1, StringComparer.Ordinal).ThenBy(key => key.Item2, StringComparer.Ordinal), keys);
        Assert.Equal(items.Count, amountsWithTwoDecimals);
        Assert.Equal(From, keys[0].Item1);
        Assert.Equal(To, keys[^1].Item1);
    }

    [Fact]
    public async Task TheDataHasTwentyProductsThreeCurrenciesAndTheFeeSchedule()
    {
        await using var simulator = await VestrInstance.StartAsync();

        var dump = await simulator.AdminDeductionsAsync();
        var november = await simulator.AdminDeductionsAsync("?from=2026-11-01&to=2026-11-30");
        var byProduct = dump.GroupBy(item => item.GetProperty("productIsin").GetString()!).ToList();
        string Type(JsonElement item) => item.GetProperty("feeType").GetString()!;
        var again = await simulator.AdminDeductionsAsync();

        Assert.Equal(20, byProduct.Count);
        Assert.All(byProduct, product => Assert.Matches("^CH[0-9]{10}$", product.Key));
        Assert.Equal(["CHF", "EUR", "USD"], dump.Select(item => item.GetProperty("currency").GetString()).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(2, byProduct.Count(product => product.First().GetProperty("productName").ValueKind == JsonValueKind.Null));
        // Months 2025-10 (last business day 31st) .. 2026-10: 13 performance fees per product; November's is not due yet.
        Assert.All(byProduct, product => Assert.Equal(13, product.Count(item => Type(item) == "PERFORMANCE")));
        // First business days of 2026-01, -04, -07, -10.
        Assert.Equal(
            ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"],
            dump.Where(item => Type(item) == "CUSTODY").Select(item => item.GetProperty("bookingDate").GetString()).Distinct());
        Assert.All(dump, item => Assert.True(item.GetProperty("amount").GetDecimal() > 0));
        Assert.All(dump, item => Assert.Equal(
            $"fee-{item.GetProperty("productIsin").GetString()}-{item.GetProperty("bookingDate").GetString()!.Replace("-", string.Empty, StringComparison.Ordinal)}-{Type(item).ToLowerInvariant()}",
            item.GetProperty("id").GetString()));
        Assert.DoesNotContain(november, item => DateOnly.Parse(item.GetProperty("bookingDate").GetString()!).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(byProduct.All(product => product.Select(item => item.GetProperty("outstandingQuantity").GetDecimal()).Distinct().Count() > 1));
        Assert.Equal(dump.Select(Row), again.Select(Row));
    }

    [Fact]
    public async Task CorrectionsChangeExactlyNAmountsFromThenOn()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();
        var before = await simulator.AdminDeductionsAsync();

        using var response = await simulator.Http.PostAsJsonAsync("/_admin/vestr/corrections", new { count = 7 });
        var corrections = (await VestrInstance.ReadAsync(response, HttpStatusCode.OK)).GetProperty("corrections").EnumerateArray().ToList();
        var after = await simulator.AdminDeductionsAsync();
        var (page, _) = await simulator.FeesAsync(token, "2026-10-27", To, first: 500);
        var served = page.GetProperty("items").EnumerateArray().ToDictionary(item => item.GetProperty("id").GetString()!, item => item.GetProperty("amount").GetDecimal());
        var changed = before.Zip(after)
            .Where(pair => pair.First.GetProperty("amount").GetDecimal() != pair.Second.GetProperty("amount").GetDecimal())
            .Select(pair => pair.Second)
            .ToList();

        Assert.Equal(7, corrections.Count);
        Assert.Equal(before.Select(item => item.GetProperty("id").GetString()), after.Select(item => item.GetProperty("id").GetString()));
        Assert.Equal(
            corrections.Select(correction => (correction.GetProperty("id").GetString(), correction.GetProperty("amount").GetDecimal())),
            changed.Select(item => (item.GetProperty("id").GetString(), item.GetProperty("amount").GetDecimal())));
        Assert.All(corrections, correction => Assert.True(DateOnly.Parse(correction.GetProperty("bookingDate").GetString()!) >= new DateOnly(2026, 10, 27)));
        Assert.All(corrections, correction => Assert.Equal(correction.GetProperty("amount").GetDecimal(), served[correction.GetProperty("id").GetString()!]));
        Assert.False(page.GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task TheRateLimitedKnobAnswersTheNextNRequestsWithRateLimited()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();
        using var knob = await simulator.Http.PutAsJsonAsync("/_admin/vestr/rate-limited", new { count = 2, retryAfterSeconds = 7 });

        var first = await simulator.GraphQLAsync(token, VestrInstance.FeeQuery, new { from = To, to = To });
        var second = await simulator.GraphQLAsync(token, VestrInstance.FeeQuery, new { from = To, to = To });
        var third = await simulator.GraphQLAsync(token, VestrInstance.FeeQuery, new { from = To, to = To });
        var today = await simulator.AdminDeductionsAsync($"?from={To}&to={To}");

        Assert.Equal(HttpStatusCode.OK, knob.StatusCode);
        Assert.All([first, second], reply =>
        {
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal("RATE_LIMITED", reply.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
            Assert.Equal(7, reply.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("retryAfter").GetInt32());
        });
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(today.Length, third.Body.GetProperty("data").GetProperty("feeDeductions").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheFaultLayers429CarriesRetryAfterAndAGraphQLBody()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();
        using var rule = await simulator.Http.PostAsJsonAsync("/_admin/faults", new { route = "vestr.graphql", kind = "429", count = 1, retryAfterSeconds = 3 });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/vestr/graphql") { Content = JsonContent.Create(new { query = "{ __typename }" }) };
        request.Headers.Authorization = new("Bearer", token);

        using var response = await simulator.Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter!.Delta);
        Assert.Equal("RATE_LIMITED", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public async Task FirstOutside1To500IsBadUserInput(int first)
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();

        var (status, body, text) = await simulator.GraphQLAsync(token, VestrInstance.FeeQuery, new { from = From, to = To, first });

        Assert.Equal(HttpStatusCode.OK, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("BAD_USER_INPUT", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal($"first must be 1..500; was {first}.", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        Assert.DoesNotContain("items", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForeignCursorIsBadUserInputAndNoTokenIsUnauthenticated()
    {
        await using var simulator = await VestrInstance.StartAsync();
        var token = await simulator.AccessTokenAsync();

        var cursor = await simulator.GraphQLAsync(token, VestrInstance.FeeQuery, new { from = From, to = To, cursor = "not-a-cursor" });
        var anonymous = await simulator.GraphQLAsync(null, VestrInstance.FeeQuery, new { from = From, to = To });
        var forged = await simulator.GraphQLAsync("forged", VestrInstance.FeeQuery, new { from = From, to = To });

        Assert.Equal("BAD_USER_INPUT", cursor.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal((HttpStatusCode.OK, "UNAUTHENTICATED"), (anonymous.Status, anonymous.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.OK, "UNAUTHENTICATED"), (forged.Status, forged.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task AdminBodiesAreValidatedNamingTheField()
    {
        await using var simulator = await VestrInstance.StartAsync();

        using var noCount = await simulator.Http.PostAsJsonAsync("/_admin/vestr/corrections", new { });
        using var tooMany = await simulator.Http.PostAsJsonAsync("/_admin/vestr/corrections", new { count = 10_000 });
        using var badRetry = await simulator.Http.PutAsJsonAsync("/_admin/vestr/rate-limited", new { count = 1, retryAfterSeconds = -1 });
        using var badDate = await simulator.Http.GetAsync("/_admin/vestr/deductions?from=yesterday");

        Assert.True((await VestrInstance.ReadAsync(noCount, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("count", out _));
        Assert.True((await VestrInstance.ReadAsync(tooMany, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("count", out _));
        Assert.True((await VestrInstance.ReadAsync(badRetry, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("retryAfterSeconds", out _));
        Assert.True((await VestrInstance.ReadAsync(badDate, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("from", out _));
    }

    private static readonly string[] Fields = ["id", "bookingDate", "amount", "currency", "feeType", "productIsin", "productName", "outstandingQuantity"];

    private static string Row(JsonElement item) => string.Join('|', Fields.Select(field => item.GetProperty(field).ToString()));

    [GeneratedRegex("\"amount\":[0-9]+\\.[0-9]{2}[,}]")]
    private static partial Regex AmountPattern();
}
