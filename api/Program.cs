using Tributary.Api;

try
{
    var app = GatewayApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (Microsoft.Extensions.Options.OptionsValidationException exception)
{
    // Every bad setting, whoever found it, is one of these: its sentences name the settings.
    await Console.Error.WriteLineAsync(Tributary.ServiceDefaults.ConfigurationCheck.Describe(exception));
    return Tributary.ServiceDefaults.ConfigurationCheck.ExitCode;
}
