using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Tributary.ServiceDefaults;

/// <summary>
/// The one way a Tributary process checks its settings and reports them wrong: every options class is bound with
/// <c>AddOptions&lt;T&gt;().Bind().ValidateOnStart()</c> and an <see cref="IValidateOptions{TOptions}"/>;
/// <see cref="ValidateNow"/> runs all those checks before anything starts, and <see cref="Describe"/> is the line the
/// process prints before it exits with <see cref="ExitCode"/>.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>The exit code of a process stopped by a bad setting (1 is a runtime failure).</summary>
    public const int ExitCode = 2;

    /// <summary>
    /// Runs every validate-on-start check now, so a bad setting is reported as one, with its sentences, before the
    /// database or the cluster is touched.
    /// </summary>
    /// <exception cref="OptionsValidationException">
    /// One exception with every failure of every options class (the host's own check throws an
    /// <see cref="AggregateException"/> when two classes fail), or the binder's sentence for a value that is not of
    /// its setting's type (<c>Jobs:x:BatchSize=abc</c>): it names the key.
    /// </exception>
    public static void ValidateNow(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (AggregateException exception) when (exception.InnerExceptions.All(e => e is OptionsValidationException))
        {
            var failures = exception.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList();
            throw new OptionsValidationException(string.Empty, typeof(object), failures);
        }
        catch (InvalidOperationException exception) when (IsBindingFailure(exception))
        {
            throw new OptionsValidationException(string.Empty, typeof(object), [exception.Message]);
        }
    }

    /// <summary>The line a process prints for a bad setting: every sentence, each naming its setting.</summary>
    public static string Describe(OptionsValidationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return "Configuration error: " + string.Join(" ", exception.Failures);
    }

    /// <summary>
    /// The configuration binder's failure to convert a value (its inner exception is the conversion's): the binder
    /// says which key and which type, which is all the operator needs.
    /// </summary>
    public static bool IsBindingFailure(Exception exception) =>
        exception is InvalidOperationException { InnerException: FormatException or OverflowException or ArgumentException or InvalidCastException };
}
