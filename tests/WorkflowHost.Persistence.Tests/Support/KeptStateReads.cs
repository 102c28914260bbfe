using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// A host's step reads of instance states as its meter counts them (<see cref="KeptStates.ReadsCounterName"/>): the tests
/// read what operators see, so the counter itself is under test and <see cref="KeptStates"/> keeps no second count.
/// Only the given host's meter is heard, so other hosts in the same process (a test's second host, parallel tests) are not.
/// </summary>
public sealed class KeptStateReads : IDisposable
{
    private readonly MetricCollector<long> _collector;

    public KeptStateReads(WorkflowTestHost host) =>
        _collector = new MetricCollector<long>(host.Services.GetRequiredService<IMeterFactory>(), GroupCommit.MeterName, KeptStates.ReadsCounterName);

    /// <summary>Each read's <c>result</c> since the last <see cref="Clear"/>, in order: <c>reused</c>, or why it parsed.</summary>
    public IReadOnlyList<string> Results =>
        [.. _collector.GetMeasurementSnapshot().SelectMany(m => Enumerable.Repeat((string)m.Tags["result"]!, checked((int)m.Value)))];

    /// <summary>Reads that reused a kept state since the last <see cref="Clear"/>.</summary>
    public int Reused => Results.Count(r => r == "reused");

    public void Clear() => _collector.Clear();

    public void Dispose() => _collector.Dispose();
}
