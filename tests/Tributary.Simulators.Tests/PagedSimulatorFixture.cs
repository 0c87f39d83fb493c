namespace Tributary.Simulators.Tests;

/// <summary>One read-only instance of 1,234 dossiers shared by a test class: 500 + 500 + 234.</summary>
public sealed class PagedSimulatorFixture : IAsyncLifetime
{
    public const int Total = 1_234;

    public SimulatorInstance Simulator { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Simulator = await SimulatorInstance.StartAsync($"Simulators:WealthX:TotalDossiers={Total}");

    public async Task DisposeAsync() => await Simulator.DisposeAsync();
}
