using Hangfire.Logging;

namespace WorkflowHost.Jobs.Scheduling;

/// <summary>
/// Hangfire keeps one log provider for the whole process (a static), and Hangfire.NetCore points it at the logger
/// factory of the last host that configured it. When several hosts share a process (integration tests, a host
/// restarted in place) and that host is disposed first, every Hangfire component the others create throws
/// <see cref="ObjectDisposedException"/> while asking for a logger. This wrapper lets those components run without a
/// logger instead; a production process has one host and loses nothing.
/// </summary>
internal sealed class DisposalTolerantLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
