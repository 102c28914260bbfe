using Microsoft.Extensions.Options;
using WorkflowHost.Api;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// What a full session check read for one session, and the authorization epoch its statement saw (decision 173). Only the
/// rows are kept: the state is worked out again from them on every reuse, against the clock of that request.
/// </summary>
internal sealed record CachedSessionCheck(AccountSessions.SessionRow Row, string? PersonClaim, long Epoch);

/// <summary>
/// This host's recent session checks, for the requests that may reuse one (step commands, decision 173). A reuse is only
/// ever a candidate: the step's own read must find the epoch of the check unchanged, or the step writes nothing and the
/// request checks the session in full.
/// </summary>
/// <remarks>
/// One generation per epoch. The epoch only ever goes up and any change of what a check reads raises it, so an entry of an
/// older epoch can never again be verified: a check that reads a newer epoch starts a new, empty generation and the old one
/// is dropped whole. Within a generation, at most <see cref="AccountOptions.SessionCheckCacheEntries"/> entries are kept;
/// past that a check is simply not kept (it was made in full, nothing is lost but the next reuse).
/// </remarks>
internal sealed class SessionCheckCache(IOptions<AccountOptions> options)
{
    private Generation _current = new(long.MinValue);

    // Closed until the epoch's triggers are seen in the database (AuthorizationEpochTriggers): a kept check is only as
    // good as the triggers that make it stale.
    private volatile bool _open;

    /// <summary>True once this host has seen the epoch's triggers and keeps checks for reuse.</summary>
    public bool Open => _open;

    /// <summary>Called once the epoch's triggers have been seen in the database.</summary>
    public void AllowReuse() => _open = true;

    /// <summary>The check kept for this session, if any; the caller still works out its state and matches its claims.</summary>
    public CachedSessionCheck? Find(Guid sessionId)
    {
        if (!_open)
        {
            return null;
        }

        var generation = Volatile.Read(ref _current);
        return generation.Entries.TryGetValue(sessionId, out var check) ? check : null;
    }

    /// <summary>Keeps a check made in full at <paramref name="check"/>'s epoch, unless a newer epoch was seen since.</summary>
    public void Remember(CachedSessionCheck check)
    {
        var limit = options.Value.SessionCheckCacheEntries;
        if (limit == 0 || !_open)
        {
            return;
        }

        var generation = GenerationFor(check.Epoch);
        if (generation is null)
        {
            return; // a newer epoch was seen: this check is already stale
        }

        if (generation.Entries.ContainsKey(check.Row.Id))
        {
            generation.Entries[check.Row.Id] = check;
            return;
        }

        if (Interlocked.Increment(ref generation.Count) > limit)
        {
            Interlocked.Decrement(ref generation.Count);
            return;
        }

        if (!generation.Entries.TryAdd(check.Row.Id, check))
        {
            Interlocked.Decrement(ref generation.Count);
            generation.Entries[check.Row.Id] = check;
        }
    }

    /// <summary>Drops the session's check: its reuse failed, or the session is no longer good.</summary>
    public void Forget(Guid sessionId)
    {
        var generation = Volatile.Read(ref _current);
        if (generation.Entries.TryRemove(sessionId, out _))
        {
            Interlocked.Decrement(ref generation.Count);
        }
    }

    /// <summary>The generation of <paramref name="epoch"/>, started if it is newer than the current one; null if older.</summary>
    private Generation? GenerationFor(long epoch)
    {
        while (true)
        {
            var generation = Volatile.Read(ref _current);
            if (generation.Epoch == epoch)
            {
                return generation;
            }

            if (generation.Epoch > epoch)
            {
                return null;
            }

            var next = new Generation(epoch);
            if (Interlocked.CompareExchange(ref _current, next, generation) == generation)
            {
                return next;
            }
        }
    }

    private sealed class Generation(long epoch)
    {
        public long Epoch { get; } = epoch;

        public System.Collections.Concurrent.ConcurrentDictionary<Guid, CachedSessionCheck> Entries { get; } = new();

        // Counted here rather than by the dictionary's Count, which takes every lock of the dictionary.
        public int Count;
    }
}

/// <summary>
/// Marks the endpoints whose requests may reuse a session check (decision 173): each one's whole work is one step through
/// <see cref="StepCommands"/>, which verifies the reuse in the step's own read. Nothing before the step may read or write
/// on the caller's authority.
/// </summary>
internal sealed class ReusesSessionCheck
{
    public static readonly ReusesSessionCheck Instance = new();

    private ReusesSessionCheck()
    {
    }
}
