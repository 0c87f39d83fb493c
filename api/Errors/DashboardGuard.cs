namespace Tributary.Api.Errors;

/// <summary>
/// The Orleans dashboard's JSON routes that take a silo address (<c>/dashboard/SiloProperties/{address}</c>,
/// <c>SiloMetadata</c>, <c>SiloCounters</c>, <c>HistoricalStats</c>) throw on one that is not an address, which would
/// be a 500. This checks the address first and answers a 400 problem naming it; valid ones go on to the dashboard.
/// </summary>
public static class DashboardGuard
{
    private static readonly string[] SiloRoutes = ["SiloProperties", "SiloMetadata", "SiloCounters", "HistoricalStats"];

    public static IApplicationBuilder UseDashboardGuard(this IApplicationBuilder app, string prefix) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var rest)
            && rest.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var route, var address]
            && SiloRoutes.Contains(route, StringComparer.OrdinalIgnoreCase)
            && !IsSiloAddress(Uri.UnescapeDataString(address)))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    ["address"] = ["Must be a silo address as the dashboard lists them (ip:port@generation)."],
                })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request could not be read.",
                },
            });
            return;
        }

        await next(context);
    });

    private static bool IsSiloAddress(string text)
    {
        try
        {
            return SiloAddress.FromParsableString(text) is not null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return false;
        }
    }
}
