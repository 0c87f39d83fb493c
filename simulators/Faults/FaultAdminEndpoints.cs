using Tributary.Simulators.Admin;
using Tributary.Simulators.Routing;

namespace Tributary.Simulators.Faults;

/// <summary>
/// <c>/_admin/faults</c>: read, replace, add and clear fault rules while the simulator runs.
/// </summary>
public static class FaultAdminEndpoints
{
    public static IEndpointRouteBuilder MapFaultAdmin(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/_admin/faults");

        group.MapGet("/", (FaultBook book) => TypedResults.Ok(book.Snapshot()));

        group.MapPut("/", async Task<IResult> (HttpRequest request, FaultBook book, SimulatedRouteRegistry routes, ILogger<FaultBook> logger) =>
        {
            var body = await AdminBody.ReadAsync<List<FaultRuleSpec?>>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var specs = body.Value ?? [];
            var rules = new List<FaultRule>();
            var errors = new Dictionary<string, string[]>();
            for (var i = 0; i < specs.Count; i++)
            {
                var index = i;
                var check = FaultRuleValidator.Check(specs[i], routes.Names);
                foreach (var error in check.Errors)
                {
                    var key = $"[{index}].{error.Field}";
                    errors[key] = [error.Describe(_ => key)];
                }

                if (check.Rule is not null)
                {
                    rules.Add(check.Rule);
                }
            }

            if (errors.Count > 0)
            {
                return AdminBody.Invalid(errors);
            }

            var states = book.Replace(rules);
            SimulatorLog.FaultsReplaced(logger, states.Count);
            return TypedResults.Ok(states);
        });

        group.MapPost("/", async Task<IResult> (HttpRequest request, FaultBook book, SimulatedRouteRegistry routes, ILogger<FaultBook> logger) =>
        {
            var body = await AdminBody.ReadAsync<FaultRuleSpec>(request);
            if (body.Error is not null)
            {
                return body.Error;
            }

            var check = FaultRuleValidator.Check(body.Value, routes.Names);
            if (check.Rule is null)
            {
                return AdminBody.Invalid(check.Errors.ToDictionary(error => error.Field, error => new[] { error.Describe(field => field) }));
            }

            var state = book.Add(check.Rule);
            SimulatorLog.FaultAdded(logger, state.Id, state.Kind, state.Route);
            return TypedResults.Created($"/_admin/faults/{state.Id}", state);
        });

        group.MapDelete("/", (FaultBook book, ILogger<FaultBook> logger) =>
        {
            book.Clear();
            SimulatorLog.FaultsCleared(logger);
            return TypedResults.NoContent();
        });

        group.MapDelete("/{id:long}", IResult (long id, FaultBook book) =>
            book.Remove(id) ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, detail: $"No fault rule has id {id}; GET /_admin/faults lists them."));

        return endpoints;
    }
}
