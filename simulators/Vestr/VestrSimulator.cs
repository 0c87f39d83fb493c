using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.Extensions.Options;

namespace Tributary.Simulators.Vestr;

/// <summary>Registers and maps the Vestr GraphQL simulator: one line each in <see cref="SimulatorApp"/>.</summary>
public static class VestrSimulator
{
    public static IServiceCollection AddVestrSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FeeLedger>();
        services.AddSingleton<FeeDeductionsSchema>();
        services.AddSingleton<IDocumentExecuter, DocumentExecuter>();
        services.AddSingleton<IGraphQLTextSerializer, GraphQLSerializer>();
        services.AddOptions<VestrOptions>().Bind(configuration.GetSection(VestrOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VestrOptions>, VestrOptionsValidator>();
        return services;
    }

    /// <summary>The GraphQL endpoint and the admin API.</summary>
    public static IEndpointRouteBuilder MapVestr(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapVestrGraphQL().MapVestrAdmin();
}
