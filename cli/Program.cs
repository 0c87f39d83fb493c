using Tributary.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C stops following; the work itself goes on in the cluster.
    e.Cancel = true;
    cancel.Cancel();
};
return await TributaryCli.RunAsync(args, CliTerminal.FromProcess(), cancel.Token);
