using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Simulators;

namespace Tributary.Connectors.Tests;

/// <summary>The simulators on a free loopback port for a connector's tests, with a test's own answer in front if it gives one.</summary>
internal static class LoopbackSimulators
{
    /// <summary>Starts the simulators with <paramref name="arguments"/> (<c>--Section:Key=value</c>); returns the app and its address.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(IEnumerable<string> arguments, Func<HttpContext, Task<bool>>? answer)
    {
        var app = SimulatorApp.Build(
            ["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. arguments],
            builder =>
            {
                if (answer is not null)
                {
                    builder.Services.AddSingleton<IStartupFilter>(new AnswerFirst(answer));
                }
            });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return (app, SimulatorApp.ListeningAddresses(app).Single());
    }
}

/// <summary>Runs a test's own answer before every other middleware of the simulators.</summary>
internal sealed class AnswerFirst(Func<HttpContext, Task<bool>> answer) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!await answer(context))
            {
                await nextMiddleware(context);
            }
        });
        next(app);
    };
}
