using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace WorkflowHost.Faults.Tests.Support;

public enum AckKind
{
    /// <summary>201: an instance was started (its marker is unique per request).</summary>
    Started,

    /// <summary>200: a task was completed with <see cref="Ack.Choice"/> as its outcome.</summary>
    TaskCompleted,

    /// <summary>200: a vote was counted.</summary>
    Voted,

    /// <summary>409 alreadyVoted to a plain retry of a vote whose first answer was lost: the lost attempt was counted.</summary>
    VoteConfirmedByRetry,
}

/// <summary>One request the host answered with success, as the client recorded it.</summary>
public sealed record Ack(AckKind Kind, Guid InstanceId, string? Step, string Person, string? Choice, string? IdempotencyKey, string? Marker, string Path, bool Replayed, int Attempts)
{
    /// <summary>
    /// The key as the store keeps it: scoped by community, caller, method and the decoded path (the host sees
    /// <c>office-check#1</c> where the URL has <c>office-check%231</c>); see src/WorkflowHost/Api/Idempotency.cs.
    /// </summary>
    public string? StoredKey(string community) => IdempotencyKey is null ? null
        : $"{community}/api-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Person}\nPOST {Uri.UnescapeDataString(Path)}\n{IdempotencyKey}")))[..48];
}

/// <summary>A time the host (or every host) was down: from the SIGKILL until it answered /health again.</summary>
public sealed record Outage(DateTimeOffset KilledAt, DateTimeOffset HealthyAt);

/// <summary>What the client side saw: every acknowledged request, the retries, and anything unexpected.</summary>
public sealed class FaultLedger
{
    private readonly ConcurrentQueue<Ack> _acks = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private readonly ConcurrentQueue<Outage> _outages = new();
    private int _keyedRetries;
    private int _plainRetries;
    private int _requests;

    public IReadOnlyList<Ack> Acks => [.. _acks];

    /// <summary>Answers no client should get: 5xx, or a refusal the driver did not provoke.</summary>
    public IReadOnlyList<string> Unexpected => [.. _unexpected];

    public IReadOnlyList<Outage> Outages => [.. _outages];

    public int Requests => _requests;

    /// <summary>Requests re-sent with the same Idempotency-Key after their answer was lost.</summary>
    public int KeyedRetries => _keyedRetries;

    /// <summary>Requests re-sent without a key after their answer was lost.</summary>
    public int PlainRetries => _plainRetries;

    public void Record(Ack ack) => _acks.Enqueue(ack);

    public void RecordUnexpected(string what) => _unexpected.Enqueue(what);

    public void RecordOutage(Outage outage) => _outages.Enqueue(outage);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountRetry(bool keyed)
    {
        if (keyed)
        {
            Interlocked.Increment(ref _keyedRetries);
        }
        else
        {
            Interlocked.Increment(ref _plainRetries);
        }
    }
}
