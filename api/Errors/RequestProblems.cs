namespace Tributary.Api.Errors;

/// <summary>
/// Problem+json for every refused request: the gateway and the tests' hosts wire it the same way, so a test of
/// a bad request checks what production answers.
/// </summary>
public static class RequestProblems
{
    /// <summary>Problem details with a trace id, and binding failures that throw so <see cref="BadRequestExceptionHandler"/> can name the field.</summary>
    public static IServiceCollection AddRequestProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Bind failures throw instead of answering a bare 400, so the handler can say which field and why.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>The middleware half: exceptions and bare status codes become problem+json.</summary>
    public static IApplicationBuilder UseRequestProblems(this IApplicationBuilder app) => app.UseExceptionHandler().UseStatusCodePages();
}
