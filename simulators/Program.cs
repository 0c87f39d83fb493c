using Tributary.Simulators;

// The fake upstreams for development, run.sh and tests. `--urls` chooses where to listen (default in
// appsettings.json); the bound address is printed so scripts started with port 0 can find it.
var app = SimulatorApp.Build(args);
await app.StartAsync();
foreach (var address in SimulatorApp.ListeningAddresses(app))
{
    Console.WriteLine($"Tributary simulators listening on {address}");
}

await app.WaitForShutdownAsync();
