using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace WorkflowHost.Bench.Load;

/// <summary>
/// What the host process allocates over a round, from the runtime's allocation-tick events read over EventPipe (the
/// transport dotnet-trace and dotnet-counters use). The runtime raises a tick each time a heap has handed out about
/// 100 KB, naming the type that crossed the line; summing the ticks' amounts gives the bytes allocated to within one
/// tick per heap, and grouping them by type is a sampled allocation profile. The whole host is counted, background
/// work included (Hangfire's polling, the sweeps), as a vote's cost in production includes it. The same events give the
/// collections of each generation and the time the runtime held every managed thread for them (from the suspension's
/// start to the restart's end): a pause delays every request in flight, so it shows in the latency's tail.
/// </summary>
internal sealed class AllocationSampler : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly Dictionary<string, long> _byType = new(StringComparer.Ordinal);
    private long _total;
    private readonly int[] _collections = new int[3];
    private double _suspendedAt = double.NaN;
    private double _pausedMs;

    private AllocationSampler(EventPipeSession session)
    {
        _session = session;
        var source = new EventPipeEventSource(session.EventStream);
        source.Clr.GCAllocationTick += OnTick;
        source.Clr.GCStart += OnCollection;
        source.Clr.GCSuspendEEStart += suspend => { lock (_byType) { _suspendedAt = suspend.TimeStampRelativeMSec; } };
        source.Clr.GCRestartEEStop += OnRestarted;
        _reading = Task.Run(source.Process);
    }

    public static AllocationSampler Start(int processId)
    {
        var provider = new EventPipeProvider(
            ClrTraceEventParser.ProviderName, System.Diagnostics.Tracing.EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        var session = new DiagnosticsClient(processId).StartEventPipeSession([provider], requestRundown: false);
        return new AllocationSampler(session);
    }

    /// <summary>Stops listening and reads what is still buffered; the figures are complete once this returns.</summary>
    public async Task<AllocationFigures> StopAsync()
    {
        await _session.StopAsync(CancellationToken.None);
        await _reading;
        lock (_byType)
        {
            return new AllocationFigures(_total, _byType.OrderByDescending(t => t.Value).Select(t => (t.Key, t.Value)).ToList())
            {
                Collections = [.. _collections],
                PausedMs = _pausedMs,
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        _session.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The stream ends with the session; reading it after a failed round has nothing left to give.
        }
    }

    private void OnCollection(GCStartTraceData start)
    {
        lock (_byType)
        {
            _collections[Math.Clamp(start.Depth, 0, 2)]++;
        }
    }

    private void OnRestarted(GCNoUserDataTraceData restarted)
    {
        lock (_byType)
        {
            // A suspension seen without its start (the session began inside it) is not counted.
            if (!double.IsNaN(_suspendedAt))
            {
                _pausedMs += restarted.TimeStampRelativeMSec - _suspendedAt;
                _suspendedAt = double.NaN;
            }
        }
    }

    private void OnTick(GCAllocationTickTraceData tick)
    {
        lock (_byType)
        {
            _total += tick.AllocationAmount64;
            var type = string.IsNullOrEmpty(tick.TypeName) ? "(unnamed)" : tick.TypeName;
            _byType[type] = _byType.GetValueOrDefault(type) + tick.AllocationAmount64;
        }
    }
}

/// <summary>
/// Bytes allocated over a round, and the same split by the types the ticks named, largest first; the collections of
/// generations 0, 1 and 2, and the milliseconds the runtime paused for collections (the runtime also suspends for
/// other reasons, rarely; those are counted too).
/// </summary>
internal sealed record AllocationFigures(long TotalBytes, IReadOnlyList<(string Type, long Bytes)> ByType)
{
    public IReadOnlyList<int> Collections { get; init; } = [0, 0, 0];

    public double PausedMs { get; init; }
}
