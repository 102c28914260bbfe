using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace WorkflowHost.Features.Accounts;

/// <summary>
/// Remembers the tickets of bearer tokens already unprotected, until the token expires. Unprotecting derives the
/// data-protection keys (SP800-108 HMAC-SHA512) on every request, the largest single cost of an API request in the
/// profile (docs/benchmarks.md, issue 18). Only the decryption is skipped: the session row is still read on every request
/// (<see cref="SessionValidation"/>), so a session ended, a password changed or an account locked is refused at once.
/// Each hit hands out a copy of the principal, because a request may add to the one it is given.
/// </summary>
internal sealed class BearerTicketCache
{
    private readonly TimeProvider time;

    /// <summary>More live tokens than this and the cache is emptied of expired ones, then of all: a bound, not an LRU.</summary>
    internal const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, AuthenticationTicket> tickets;

    /// <summary>Looks a token up by the header's own characters: a known token costs no string of its own (issue 18).</summary>
    private readonly ConcurrentDictionary<string, AuthenticationTicket>.AlternateLookup<ReadOnlySpan<char>> ticketsBySpan;

    public BearerTicketCache(TimeProvider time)
    {
        this.time = time;
        tickets = new(StringComparer.Ordinal);
        ticketsBySpan = tickets.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    internal int Count => tickets.Count;

    /// <summary>The token's ticket, unprotected once per token; null for a token that does not unprotect.</summary>
    public AuthenticationTicket? Unprotect(ISecureDataFormat<AuthenticationTicket> protector, ReadOnlySpan<char> token)
    {
        if (ticketsBySpan.TryGetValue(token, out var known))
        {
            return Copy(known);
        }

        return UnprotectNew(protector, token.ToString());
    }

    private AuthenticationTicket? UnprotectNew(ISecureDataFormat<AuthenticationTicket> protector, string token)
    {
        var ticket = protector.Unprotect(token);
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= time.GetUtcNow())
        {
            return ticket; // nothing worth keeping: forged, without an end, or already over
        }

        if (tickets.Count >= Capacity)
        {
            Evict();
        }

        tickets[token] = Copy(ticket);
        return ticket;
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var (token, ticket) in tickets)
        {
            if (ticket.Properties.ExpiresUtc <= now)
            {
                tickets.TryRemove(token, out _);
            }
        }

        if (tickets.Count >= Capacity)
        {
            tickets.Clear();
        }
    }

    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(ticket.Principal.Clone(), ticket.Properties.Clone(), ticket.AuthenticationScheme);
}
