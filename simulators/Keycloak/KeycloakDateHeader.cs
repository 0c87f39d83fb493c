namespace Tributary.Simulators.Keycloak;

/// <summary>
/// Puts the realm's clock in the <c>Date</c> header of every response under <see cref="KeycloakRoutes.RealmPath"/>,
/// faults and 404s included, so a client can see the drift that makes its TOTP codes fail.
/// </summary>
/// <remarks>
/// A startup filter, so it runs before routing and the fault layer; Kestrel only fills in <c>Date</c> when the
/// application has not set one.
/// </remarks>
public sealed class KeycloakDateHeader : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(KeycloakRoutes.RealmPath, StringComparison.Ordinal))
            {
                var realm = context.RequestServices.GetRequiredService<KeycloakRealm>();
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.Date = realm.Now.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                });
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
