using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Tributary.Diagnostics;

namespace Tributary.Api.Endpoints;

/// <summary>
/// Probe grains: write a value through grain storage and read it back with the silo that answered.
/// After a deployment or a silo loss this proves, end to end, that state and placement work.
/// </summary>
public static partial class DiagnosticsEndpoints
{
    public const int MaxValueLength = 4_000;

    public static IEndpointRouteBuilder MapDiagnosticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/diagnostics/probes").WithTags("Diagnostics");
        group.MapPut("/{name}", WriteAsync).WithName("WriteProbe").WithSummary("Store a value in the probe grain named {name}.");
        group.MapGet("/{name}", ReadAsync).WithName("ReadProbe").WithSummary("Read a probe grain and the silo hosting it.");
        return app;
    }

    private static async Task<Results<Ok<ProbeView>, ValidationProblem>> WriteAsync(string name, ProbeWrite body, IClusterClient client)
    {
        var errors = new Dictionary<string, string[]>();
        AddNameErrors(name, errors);
        if (body.Value is null)
        {
            errors["value"] = ["Required: the text to store."];
        }
        else if (body.Value.Length > MaxValueLength)
        {
            errors["value"] = [$"At most {MaxValueLength} characters, was {body.Value.Length}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(ProbeView.From(await client.GetGrain<IProbeGrain>(ProbeKey.For(name)).Write(body.Value!)));
    }

    private static async Task<Results<Ok<ProbeView>, ValidationProblem>> ReadAsync(string name, IClusterClient client)
    {
        var errors = new Dictionary<string, string[]>();
        AddNameErrors(name, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(ProbeView.From(await client.GetGrain<IProbeGrain>(ProbeKey.For(name)).Read()));
    }

    private static void AddNameErrors(string name, Dictionary<string, string[]> errors)
    {
        if (!ProbeName().IsMatch(name))
        {
            errors["name"] = ["1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'."];
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ProbeName();
}

/// <summary>Body of <c>PUT /api/diagnostics/probes/{name}</c>.</summary>
public sealed record ProbeWrite(string? Value);
