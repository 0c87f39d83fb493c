using Microsoft.AspNetCore.Http;
using Tributary.Api.Errors;

namespace Tributary.Cluster.Tests;

/// <summary>The request's Idempotency-Key, and whether the gateway made it in this very call (a first attempt, nothing stored under it).</summary>
public sealed class RequestIdempotencyTests
{
    [Fact]
    public void A_key_the_gateway_makes_is_new_on_the_first_attempt_only_and_a_callers_key_never_is()
    {
        var request = new DefaultHttpContext();
        var first = RequestIdempotency.KeyOf(request, out var madeFirst);
        var retry = RequestIdempotency.KeyOf(request, out var madeOnRetry);

        Assert.StartsWith("gateway:", first, StringComparison.Ordinal);
        Assert.Equal((first, true, false), (retry, madeFirst, madeOnRetry));

        var keyed = new DefaultHttpContext();
        keyed.Request.Headers[RequestIdempotency.Header] = " client-key-1 ";
        Assert.Equal(("client-key-1", false), (RequestIdempotency.KeyOf(keyed, out var madeKeyed), madeKeyed));
        Assert.Equal(("client-key-1", false), (RequestIdempotency.KeyOf(keyed, out var madeKeyedAgain), madeKeyedAgain));
    }
}
