using Tributary.Api;

try
{
    var app = GatewayApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (InvalidOperationException exception) when (exception.Message.StartsWith("Configuration error", StringComparison.Ordinal)
    || exception.Message.StartsWith("No database configured", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}
