using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace WorkflowHost.Tests.Support;

/// <summary>One log entry as a log store would keep it: level, category, event, the message, and the scopes around it.</summary>
public sealed record CapturedLog(LogLevel Level, string Category, EventId EventId, string Message, string Scopes, IReadOnlyList<KeyValuePair<string, object?>> State)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message} {{{Scopes}}}";
}

/// <summary>
/// Keeps every log entry with its scopes (request id, trace id, …), at every level, so a test can search them the way
/// someone reading a log store could: line by line, and grouped by request.
/// </summary>
public sealed class ScopedLogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ScopedLogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new StringBuilder();
            capture._scopes.ForEachScope((scope, text) => text.Append(Describe(scope)).Append(" | "), scopes);
            // Copied now: some states (ASP.NET Core's request log) read the request lazily, and the request is gone later.
            List<KeyValuePair<string, object?>> values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? [.. pairs.Select(p => KeyValuePair.Create(p.Key, (object?)Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)))]
                : [];
            capture.Entries.Enqueue(new CapturedLog(logLevel, category, eventId, formatter(state, exception) + (exception is null ? "" : " " + exception), scopes.ToString(), values));
        }

        private static string Describe(object? scope) => scope is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(", ", pairs.Select(p => $"{p.Key}:{p.Value}"))
            : scope?.ToString() ?? "";
    }
}
