namespace Tributary.Storage.Tests.Providers;

[GrainType("ticker")]
public sealed class TickerGrain(ILocalSiloDetails silo, TickLog log) : Grain, ITickerGrain, IRemindable
{
    public const string ReminderName = "tick";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        log.Record(this.GetPrimaryKeyString(), silo.SiloAddress.ToString());
        return Task.CompletedTask;
    }
}
