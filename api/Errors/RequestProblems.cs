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

/// <summary>The largest request body the gateway reads, imports aside (<c>Imports:MaxBodyBytes</c>). Section <c>Gateway:RequestBody</c>.</summary>
public sealed class RequestBodyOptions
{
    public const string Section = "Gateway:RequestBody";

    /// <summary>Bytes; a larger body is a 413 problem before it is read. Commands and webhook bodies are a few KB.</summary>
    public long MaxBytes { get; set; } = 1024 * 1024;
}

/// <summary>Checks <see cref="RequestBodyOptions"/> at start.</summary>
public sealed class RequestBodyOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RequestBodyOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, RequestBodyOptions options) =>
        options.MaxBytes is < 1_024 or > 30_000_000
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{RequestBodyOptions.Section}:MaxBytes must be 1024..30000000, was {options.MaxBytes}.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
