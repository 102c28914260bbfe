using System.Diagnostics.Metrics;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// The states this host's committed steps wrote, kept so that the next step on the same instance skips parsing its state
/// (decision 170, issue 18). An entry is the instance's new version, the exact UTF-8 bytes written and the state object
/// they were serialised from. A step's read takes the entry out (the engine changes the state in place, so no two steps
/// may hold it) and uses the object only if the row it read has that version and the very same bytes; anything else
/// (another host's write, a restore, a direct change, a step of its own that lost a race) parses, as before. Bounded by
/// <see cref="PersistenceOptions.KeptInstanceStates"/>, least recently kept first out; 0 turns it off. Only instances
/// still running are kept: an ended one's next step, if any, parses.
/// </summary>
public sealed class KeptStates
{
    /// <summary>
    /// Unset <see cref="PersistenceOptions.KeptInstanceStates"/>: more than the instances under way at once in a large
    /// community, and a bound on the memory they hold (each a few KB of bytes and the objects parsed from them).
    /// </summary>
    public const int DefaultCapacity = 1_024;

    /// <summary>The counter of step reads on the <see cref="GroupCommit.MeterName"/> meter, tagged <c>result</c>.</summary>
    public const string ReadsCounterName = "workflowhost.kept_states.reads";

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LinkedListNode<Entry>> _byInstance = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly Counter<long> _reads;

    public KeptStates(PersistenceOptions options, IMeterFactory meters)
    {
        Capacity = options.KeptInstanceStates ?? DefaultCapacity;
        _reads = meters.Create(GroupCommit.MeterName).CreateCounter<long>(
            ReadsCounterName, unit: "{read}",
            description: "Step reads of an instance's state: reused from this host's last write (result=reused), or parsed because none was kept (absent), the row had another version (version) or other bytes (bytes).");
    }

    /// <summary>The most instances kept.</summary>
    public int Capacity { get; }

    /// <summary>The version kept for the instance, if any (for tests and diagnostics).</summary>
    internal int? VersionKept(Guid instanceId)
    {
        lock (_lock)
        {
            return _byInstance.TryGetValue(instanceId, out var node) ? node.Value.Version : null;
        }
    }

    /// <summary>
    /// The bytes kept for the instance, left in place, for the step's read to compare the row with (decisions 182, 186); null when
    /// none. The entry may be replaced or taken before <see cref="StateOf"/>: the array itself never changes, and
    /// <see cref="StateOf"/> compares whatever it takes with the bytes the row held.
    /// </summary>
    internal byte[]? BytesKept(Guid instanceId)
    {
        if (Capacity == 0)
        {
            return null;
        }

        lock (_lock)
        {
            return _byInstance.TryGetValue(instanceId, out var node) ? node.Value.Utf8 : null;
        }
    }

    /// <summary>
    /// After a step committed (never before: a rolled-back step's state must not be seen), keeps the state it wrote as
    /// <paramref name="version"/>; <paramref name="utf8"/> are the bytes written, and nothing may change either afterwards.
    /// </summary>
    internal void Keep(WrittenStep written)
    {
        if (Capacity == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_byInstance.TryGetValue(written.InstanceId, out var earlier))
            {
                if (earlier.Value.Version > written.Version)
                {
                    // Two steps of this host finished out of order: the later version stays.
                    return;
                }

                _byInstance.Remove(written.InstanceId);
                _recency.Remove(earlier);
            }

            if (written.State.Status != InstanceStatus.Running)
            {
                // An ended instance takes few steps, if any (a comment): its state would only hold memory, which the
                // garbage collector then counts as live and sizes its budgets by (docs/benchmarks.md section 18b).
                return;
            }

            _byInstance[written.InstanceId] = _recency.AddFirst(new Entry(written.InstanceId, written.Version, written.Utf8, written.State));
            if (_byInstance.Count > Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _byInstance.Remove(oldest.Value.InstanceId);
            }
        }
    }

    /// <summary>
    /// The step's state for the row it read: the kept object, taken out and made ready as a parse of the same bytes would be
    /// (<see cref="WrittenState.AsParsed"/>), when this host wrote exactly these bytes as this version; otherwise the bytes parsed.
    /// Either way the caller alone holds the result.
    /// </summary>
    internal InstanceState StateOf(Guid instanceId, int version, byte[] storedUtf8)
    {
        var entry = Take(instanceId);
        var miss = entry is null ? "absent" : entry.Version != version ? "version" : !entry.Utf8.AsSpan().SequenceEqual(storedUtf8) ? "bytes" : null;
        if (miss is null)
        {
            _reads.Add(1, new KeyValuePair<string, object?>("result", "reused"));
            return WrittenState.AsParsed(entry!.State, storedUtf8);
        }

        _reads.Add(1, new KeyValuePair<string, object?>("result", miss));
        return System.Text.Json.JsonSerializer.Deserialize(storedUtf8, EngineJson.State)!;
    }

    /// <summary>Takes the instance's entry out, whatever it holds: one that does not match the row is of no further use.</summary>
    private Entry? Take(Guid instanceId)
    {
        if (Capacity == 0)
        {
            return null;
        }

        lock (_lock)
        {
            if (!_byInstance.Remove(instanceId, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            return node.Value;
        }
    }

    private sealed record Entry(Guid InstanceId, int Version, byte[] Utf8, InstanceState State);
}

/// <summary>What a step wrote: the instance's new version, its state's bytes and the object they were serialised from.</summary>
internal sealed record WrittenStep(Guid InstanceId, int Version, byte[] Utf8, InstanceState State);
