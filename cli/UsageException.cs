namespace Tributary.Cli;

/// <summary>A command line the parser accepted but that cannot be run as given (e.g. <c>wealthx reset</c> without <c>--confirm</c>): exit code 2 with the command's usage.</summary>
public sealed class UsageException(string message) : Exception(message);
