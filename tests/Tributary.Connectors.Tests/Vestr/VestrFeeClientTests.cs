using Microsoft.AspNetCore.Http;
using Tributary.Connectors.Vestr;

namespace Tributary.Connectors.Tests.Vestr;

/// <summary>Vestr's GraphQL API over loopback: paging, a token expired mid-way, rate limiting, and the session's one login.</summary>
public sealed class VestrFeeClientTests
{
    [Fact]
    public async Task PagingEveryDeductionGivesExactlyTheSimulatorsDumpWithOneLogin()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (from, to) = await simulators.ExtentAsync();
        var fees = simulators.Fees;

        var (all, pages) = await PageAllAsync(fees, from, to, first: 500);
        var dump = await simulators.DeductionsAsync(from, to);

        Assert.Equal(dump.Count, all.Count);
        Assert.Equal(dump, all);
        Assert.Equal((dump.Count + 499) / 500, pages);
        Assert.Equal(1, simulators.Session.Logins);
    }

    [Fact]
    public async Task AnAccessTokenExpiredMidPagingCostsExactlyOneNewLoginAndThePagingGoesOn()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (_, to) = await simulators.ExtentAsync();
        var from = to.AddDays(-59);
        var fees = simulators.Fees;
        var first = await fees.GetFeeDeductionsAsync(from, to, cursor: null, first: 50, CancellationToken.None);
        var loginsBefore = simulators.Session.Logins;
        await simulators.PostAdminAsync("/_admin/keycloak/expire-tokens");

        var (rest, _) = await PageAllAsync(fees, from, to, first: 50, first.NextCursor);
        var realm = await simulators.KeycloakAsync();

        Assert.True(first.HasMore);
        Assert.Equal(1, loginsBefore);
        Assert.Equal(2, simulators.Session.Logins);
        Assert.Equal(2, realm.GetProperty("logins").GetProperty("browser").GetInt64());
        Assert.Equal(0, realm.GetProperty("grants").GetProperty("refresh_token").GetInt64());
        Assert.Equal(await simulators.DeductionsAsync(from, to), [.. first.Items, .. rest]);
    }

    [Fact]
    public async Task RateLimitedIsTransientWith429AndTheRetryAfterOfItsExtensions()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (_, to) = await simulators.ExtentAsync();
        var token = await simulators.Session.AccessTokenAsync(CancellationToken.None);
        await simulators.PutAdminAsync("/_admin/vestr/rate-limited", new { count = 1, retryAfterSeconds = 7 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Fees.GetFeeDeductionsAsync(to, to, null, 10, CancellationToken.None));
        var next = await simulators.Fees.GetFeeDeductionsAsync(to, to, null, 10, CancellationToken.None);

        Assert.Equal(("vestr", (int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(7), "RATE_LIMITED"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            "Vestr refused POST graphql feeDeductions with RATE_LIMITED: Too many requests; retry after 7 s. Vestr is rate limiting this client: wait 7 s (retryAfter) before calling again.",
            failure.Message);
        Assert.Equal((await simulators.DeductionsAsync(to, to)).Take(10), next.Items);
        VestrSimulators.AssertHoldsNoSecret(failure, [token]);
    }

    [Fact]
    public async Task Http429IsTransientWithTheRetryAfterHeader()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (_, to) = await simulators.ExtentAsync();
        var token = await simulators.Session.AccessTokenAsync(CancellationToken.None);
        await simulators.AddFaultAsync(new { route = "vestr.graphql", kind = "429", count = 1, retryAfterSeconds = 9 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Fees.GetFeeDeductionsAsync(to, to, null, 10, CancellationToken.None));

        Assert.Equal(("vestr", (int?)429, true, (TimeSpan?)TimeSpan.FromSeconds(9), "RATE_LIMITED"), (failure.Upstream, failure.StatusCode, failure.IsTransient, failure.RetryAfter, failure.ErrorCode));
        Assert.Equal(
            "Vestr refused POST graphql feeDeductions with 429 Too Many Requests. Vestr is rate limiting this client: wait 9 s (Retry-After) before calling again.",
            failure.Message);
        VestrSimulators.AssertHoldsNoSecret(failure, [token]);
    }

    [Fact]
    public async Task AServerErrorIsTransient()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (_, to) = await simulators.ExtentAsync();
        var token = await simulators.Session.AccessTokenAsync(CancellationToken.None);
        await simulators.AddFaultAsync(new { route = "vestr.graphql", kind = "5xx", count = 1, status = 502 });

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Fees.GetFeeDeductionsAsync(to, to, null, 10, CancellationToken.None));

        Assert.Equal(("vestr", (int?)502, true), (failure.Upstream, failure.StatusCode, failure.IsTransient));
        VestrSimulators.AssertHoldsNoSecret(failure, [token]);
    }

    [Fact]
    public async Task AnotherGraphQlErrorIsPermanentWithVestrsMessage()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var (_, to) = await simulators.ExtentAsync();

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Fees.GetFeeDeductionsAsync(to, to, "not-a-cursor", 10, CancellationToken.None));

        Assert.Equal(("vestr", false, "BAD_USER_INPUT"), (failure.Upstream, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "Vestr refused POST graphql feeDeductions with BAD_USER_INPUT: cursor is not one this API issued: pass a page's nextCursor unchanged, or none for the first page. "
            + "The query or its arguments are wrong for Vestr's schema; retrying will not help, this connector needs updating if Vestr changed its schema.",
            failure.Message);
    }

    [Fact]
    public async Task ATokenRefusedAfterANewLoginIsPermanent()
    {
        await using var simulators = await VestrSimulators.StartAsync(answer: async context =>
        {
            if (!context.Request.Path.StartsWithSegments("/vestr/graphql", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"errors":[{"message":"Not authenticated.","extensions":{"code":"UNAUTHENTICATED"}}]}""");
            return true;
        });
        var to = DateOnly.FromDateTime(DateTime.UtcNow);

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => simulators.Fees.GetFeeDeductionsAsync(to, to, null, 10, CancellationToken.None));

        Assert.Equal(("vestr", false, "UNAUTHENTICATED"), (failure.Upstream, failure.IsTransient, failure.ErrorCode));
        Assert.Equal(
            "Vestr refused the access token of a new login too (UNAUTHENTICATED): check that Vestr:KeycloakUrl is the realm that issues Vestr's tokens for Vestr:GraphQlUrl, "
            + "and that the Vestr user (Vestr:Username) may read fee deductions; retrying will not help.",
            failure.Message);
        Assert.Equal(2, simulators.Session.Logins);
        VestrSimulators.AssertHoldsNoSecret(failure, VestrSimulators.CodesAroundNow());
    }

    [Fact]
    public async Task ATokenWithLessThanThirtySecondsLeftIsRefreshedAndAFailedRefreshLogsInAgain()
    {
        // Access tokens of 30 s have less than the 30 s margin left as soon as they arrive: every call refreshes.
        await using var simulators = await VestrSimulators.StartAsync(simulatorSettings: ["Simulators:Keycloak:AccessTokenSeconds=30"]);
        var session = simulators.Session;

        var first = await session.AccessTokenAsync(CancellationToken.None);
        var refreshed = await session.AccessTokenAsync(CancellationToken.None);
        var afterRefresh = await simulators.KeycloakAsync();
        await simulators.PostAdminAsync("/_admin/keycloak/reset");
        var relogged = await session.AccessTokenAsync(CancellationToken.None);
        var afterReset = await simulators.KeycloakAsync();

        Assert.NotEqual(first, refreshed);
        Assert.NotEqual(refreshed, relogged);
        Assert.Equal((1L, 1L), (afterRefresh.GetProperty("logins").GetProperty("browser").GetInt64(), afterRefresh.GetProperty("grants").GetProperty("refresh_token").GetInt64()));
        Assert.Equal((1L, 0L), (afterReset.GetProperty("logins").GetProperty("browser").GetInt64(), afterReset.GetProperty("grants").GetProperty("refresh_token").GetInt64()));
        Assert.Equal(2, session.Logins);
    }

    [Fact]
    public async Task InvalidateOnlyDropsTheTokenItNames()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var session = simulators.Session;
        var token = await session.AccessTokenAsync(CancellationToken.None);

        session.Invalidate("some-other-token");
        var same = await session.AccessTokenAsync(CancellationToken.None);
        session.Invalidate(token);
        var next = await session.AccessTokenAsync(CancellationToken.None);

        Assert.Equal(token, same);
        Assert.NotEqual(token, next);
        Assert.Equal(2, session.Logins);
    }

    [Fact]
    public async Task CallersWaitingForAStaleTokenShareOneLogin()
    {
        await using var simulators = await VestrSimulators.StartAsync();
        var session = simulators.Session;

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => session.AccessTokenAsync(CancellationToken.None))));

        Assert.Single(tokens.Distinct());
        Assert.Equal(1, session.Logins);
    }

    private static async Task<(List<FeeDeduction> Items, int Pages)> PageAllAsync(VestrFeeClient fees, DateOnly from, DateOnly to, int first, string? cursor = null)
    {
        var items = new List<FeeDeduction>();
        var pages = 0;
        while (true)
        {
            var page = await fees.GetFeeDeductionsAsync(from, to, cursor, first, CancellationToken.None);
            pages++;
            items.AddRange(page.Items);
            if (!page.HasMore)
            {
                return (items, pages);
            }

            cursor = page.NextCursor;
        }
    }
}
