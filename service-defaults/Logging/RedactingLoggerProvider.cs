using Microsoft.Extensions.Logging;

namespace Tributary.ServiceDefaults.Logging;

/// <summary>
/// Wraps a logging provider (console, the log file, OpenTelemetry) so that every line it writes has the configured
/// secrets masked: the formatted message, every structured value, and the exception's text.
/// </summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner, SecretRedactor redactor) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(scopeProvider);
        }
    }

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!redactor.Any || !inner.IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var message = redactor.Redact(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                // The template too: a message built by interpolation is its own template, secrets and all (Serilog writes the template).
                ? pairs.Select(p => p.Value is not string text ? p : new KeyValuePair<string, object?>(p.Key, redactor.Redact(text))).ToList()
                : [];
            var safeException = exception is not null && redactor.Reveals(exception.ToString()) ? new RedactedException(redactor.Redact(exception.ToString())) : exception;
            inner.Log(logLevel, eventId, new RedactedState(values, message), safeException, static (s, _) => s.Message);
        }
    }

    /// <summary>The structured values of a log line, secrets masked, with its masked message as its text.</summary>
    private sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public int Count => values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}

/// <summary>An exception whose text held a secret, in its masked form (type, message and stack as they were printed).</summary>
public sealed class RedactedException(string text) : Exception(text)
{
    public override string ToString() => Message;
}
