using System.Globalization;
using Tributary.Simulators.Admin;

namespace Tributary.Simulators.RequestLog;

/// <summary><c>/_admin/requests</c>: read and clear the request log.</summary>
public static class RequestLogAdminEndpoints
{
    public static IEndpointRouteBuilder MapRequestLogAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/_admin/requests");

        // Query values are parsed here rather than bound, so a bad 'since' gets a message naming it.
        group.MapGet("/", IResult (HttpRequest request, RequestJournal journal) =>
        {
            string? route = request.Query["route"];
            string? sinceText = request.Query["since"];
            DateTimeOffset? since = null;
            if (!string.IsNullOrEmpty(sinceText))
            {
                if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return AdminBody.Invalid("since", $"since must be an ISO 8601 time such as 2025-01-31T12:00:00.1234567Z; was '{sinceText}'.");
                }

                since = parsed;
            }

            return TypedResults.Ok(journal.Read(string.IsNullOrEmpty(route) ? null : route, since));
        });

        group.MapDelete("/", (RequestJournal journal) =>
        {
            journal.Clear();
            return TypedResults.NoContent();
        });

        return endpoints;
    }
}
