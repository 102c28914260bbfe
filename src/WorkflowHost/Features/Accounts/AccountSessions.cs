using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowHost.Api;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Features.Accounts;

/// <summary>The claims that tie a cookie or a bearer token to its row in <c>AccountSessions</c>.</summary>
internal static class SessionClaims
{
    public const string SessionId = "session";

    /// <summary>Bearer sessions: the id of the refresh token issued with this access token.</summary>
    public const string RefreshTokenId = "refresh-token";

    public static Guid? SessionOf(ClaimsPrincipal? principal) =>
        Guid.TryParseExact(principal?.FindFirstValue(SessionId), "N", out var id) ? id : null;

    public static Guid? RefreshTokenOf(ClaimsPrincipal? principal) =>
        Guid.TryParseExact(principal?.FindFirstValue(RefreshTokenId), "N", out var id) ? id : null;

    public static string? AccountOf(ClaimsPrincipal? principal) => principal?.FindFirstValue(ClaimTypes.NameIdentifier);
}

/// <summary>Why a session is not (or no longer) good for a request.</summary>
internal enum SessionState
{
    Active,

    /// <summary>No session claim, or no such row: a forged, foreign or pre-sessions cookie or token.</summary>
    Unknown,

    /// <summary>Ended on purpose: logout, password change, refresh-token reuse, deactivation.</summary>
    Ended,

    /// <summary>Past its absolute end (<see cref="AccountSession.ExpiresAt"/>).</summary>
    Expired,

    /// <summary>The account's security stamp changed since (a password set or reset).</summary>
    StampChanged,

    Locked,

    Deactivated,

    /// <summary>Refresh only: the refresh token was already used once; the chain has now ended.</summary>
    Reused,
}

/// <summary>
/// The server side of every sign-in (docs/decisions/0075). A session is one row; every request authenticated by cookie or
/// bearer token is checked against it and its account in one primary-key lookup (<see cref="CheckAsync"/>): not ended,
/// not past its absolute end, the account's security stamp unchanged, the account neither locked nor deactivated.
/// Because the row is in the shared database, a session ended on one host is refused by every host on the next request.
/// </summary>
/// <remarks>
/// On SQLite the check runs on a kept reader (<see cref="SqliteKeptReaders"/>, decision 162): a connection that stays
/// open with the check's statement prepared, instead of a connection opened and a statement prepared per request.
/// </remarks>
internal sealed class AccountSessions(
    IDbContextFactory<WorkflowDbContext> contexts, TimeProvider time, IOptions<AccountOptions> options, SecurityEvents events, SessionCheckCache cache,
    SqliteKeptReaders? keptReaders = null)
{
    public async Task<AccountSession> StartAsync(Account account, string kind, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lifetime = kind == AccountSession.CookieKind
            ? TimeSpan.FromHours(options.Value.CookieAbsoluteHours)
            : TimeSpan.FromDays(options.Value.RefreshChainDays);
        var session = new AccountSession
        {
            Id = Guid.NewGuid(),
            AccountId = account.Id,
            Kind = kind,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            SecurityStamp = account.SecurityStamp ?? "",
            RefreshTokenId = kind == AccountSession.BearerKind ? Guid.NewGuid() : null,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AccountSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// The per-request check: one row of <c>AccountSessions</c> joined with its account, by primary key, and in the same
    /// statement the directory entry of the principal's person, which the request needs next (<see cref="CallerResolver"/>).
    /// </summary>
    public async Task<(SessionState State, CallerEntry? Person)> CheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var (state, session) = await ReadAsync(principal, cancellationToken);
        return (state, session?.Person);
    }

    /// <summary>
    /// A check this host made in full for the principal's session, reused without reading anything (decision 173): only
    /// for a request whose step verifies <c>Epoch</c> in its own read. The state is worked out again from the kept rows
    /// against the clock now (the absolute end, a lock's end); anything but an active session is no reuse, and the full
    /// check then says why.
    /// </summary>
    public (CallerEntry? Person, long Epoch)? Reuse(ClaimsPrincipal principal)
    {
        if (SessionClaims.SessionOf(principal) is not { } sessionId || SessionClaims.AccountOf(principal) is not { } accountId
            || cache.Find(sessionId) is not { } kept)
        {
            return null;
        }

        if (kept.Row.AccountId != accountId || kept.PersonClaim != principal.FindFirstValue(Caller.PersonClaim))
        {
            return null;
        }

        if (StateOf(kept.Row, time.GetUtcNow()) != SessionState.Active)
        {
            cache.Forget(sessionId);
            return null;
        }

        return (kept.Row.Person, kept.Epoch);
    }

    /// <summary>Drops what this host kept of the principal's session check: a reuse of it was found stale.</summary>
    public void Forget(ClaimsPrincipal principal)
    {
        if (SessionClaims.SessionOf(principal) is { } sessionId)
        {
            cache.Forget(sessionId);
        }
    }

    /// <summary>
    /// Uses the refresh token <paramref name="refreshPrincipal"/> came from, once: the session's current refresh-token id
    /// is swapped for a new one in a single conditional update, so of two uses of one token only one succeeds. A token
    /// that is not the current one was used before: the whole chain (the session, its access tokens and refresh token)
    /// ends, and the reuse is logged.
    /// </summary>
    public async Task<(SessionState State, string? AccountId, Guid NewRefreshTokenId)> RotateRefreshTokenAsync(ClaimsPrincipal refreshPrincipal, CancellationToken cancellationToken)
    {
        var (state, session) = await ReadAsync(refreshPrincipal, cancellationToken);
        if (state != SessionState.Active || session is null || SessionClaims.RefreshTokenOf(refreshPrincipal) is not { } used)
        {
            return (state == SessionState.Active ? SessionState.Unknown : state, null, Guid.Empty);
        }

        var next = Guid.NewGuid();
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rotated = await db.AccountSessions
            .Where(s => s.Id == session.Id && s.RefreshTokenId == used && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.RefreshTokenId, next)
                .SetProperty(s => s.Refreshes, s => s.Refreshes + 1)
                .SetProperty(s => s.LastRefreshedAt, now), cancellationToken);
        if (rotated == 1)
        {
            return (SessionState.Active, session.AccountId, next);
        }

        if (await EndAsync(session.Id, "refresh-token-reused", cancellationToken))
        {
            events.RefreshTokenReused(session.AccountId, session.Id);
        }

        return (SessionState.Reused, session.AccountId, Guid.Empty);
    }

    /// <summary>Ends one session (logout, a reused refresh token); true when it was still going.</summary>
    public async Task<bool> EndAsync(Guid sessionId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AccountSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), cancellationToken) == 1;
    }

    /// <summary>Ends every session of the account but <paramref name="except"/>; returns how many were still going.</summary>
    public async Task<int> EndAllAsync(string accountId, string reason, Guid? except, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await EndAllAsync(db, accountId, reason, time.GetUtcNow(), except, cancellationToken);
    }

    /// <summary>The same, in a context (and transaction) the caller already has: <c>set-password</c> ends sessions with the passwords it sets.</summary>
    public static Task<int> EndAllAsync(WorkflowDbContext db, string accountId, string reason, DateTimeOffset now, Guid? except, CancellationToken cancellationToken) =>
        db.AccountSessions.Where(s => s.AccountId == accountId && s.EndedAt == null && s.Id != except)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), cancellationToken);

    /// <summary>Keeps one session going across a change of the account's security stamp (the session that changed the password).</summary>
    public async Task KeepAcrossStampChangeAsync(Guid sessionId, string newStamp, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.AccountSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.SecurityStamp, newStamp), cancellationToken);
    }

    private async Task<(SessionState State, SessionRow? Session)> ReadAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (SessionClaims.SessionOf(principal) is not { } sessionId || SessionClaims.AccountOf(principal) is not { } accountId)
        {
            return (SessionState.Unknown, null);
        }

        // The person is joined on the claim, as the caller is resolved from it; one round trip for both (issue 18).
        var personId = principal.FindFirstValue(Caller.PersonClaim);
        var read = keptReaders is null
            ? await ReadOnItsOwnAsync(sessionId, personId, cancellationToken)
            : await keptReaders.ReadAsync((sessionId, personId), static (db, key, cancel) => ReadSessionAndPerson.For(db)(db, key.sessionId, key.personId, cancel), cancellationToken);
        var row = read is null ? null : read.Session with
        {
            Person = read.PersonId is null ? null : new CallerEntry(read.PersonId, read.NameZh, read.CommunityId, read.UnitId, read.Language, read.Roles),
        };
        if (row is null || row.AccountId != accountId)
        {
            return (SessionState.Unknown, null);
        }

        var state = StateOf(row, time.GetUtcNow());
        if (state == SessionState.Active && read!.Epoch is { } epoch)
        {
            // Kept with the epoch of this very statement: whatever it read changes only with a raised epoch (decision 173).
            cache.Remember(new CachedSessionCheck(row, personId, epoch));
        }
        else
        {
            cache.Forget(sessionId);
        }

        return (state, row);
    }

    private static SessionState StateOf(SessionRow row, DateTimeOffset now) => row switch
    {
        { EndedAt: not null } => SessionState.Ended,
        _ when now >= row.ExpiresAt => SessionState.Expired,
        { DeactivatedAt: not null } => SessionState.Deactivated,
        _ when row.Stamp != row.AccountStamp => SessionState.StampChanged,
        { LockoutEnabled: true, LockoutEnd: { } end } when end > now => SessionState.Locked,
        _ => SessionState.Active,
    };

    private async Task<SessionRead?> ReadOnItsOwnAsync(Guid sessionId, string? personId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ReadSessionAndPerson.For(db)(db, sessionId, personId, cancellationToken);
    }

    /// <summary>
    /// The per-request query, compiled once: every request runs it, and a LINQ query built per request costs its
    /// expression tree and EF Core's parameter extraction each time (docs/benchmarks.md, issue 18).
    /// </summary>
    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string?, CancellationToken, Task<SessionRead?>>> ReadSessionAndPerson = new(() =>
        EF.CompileAsyncQuery((WorkflowDbContext db, Guid sessionId, string? personId, CancellationToken _) => (
                from s in db.AccountSessions.AsNoTracking()
                join a in db.Accounts.AsNoTracking() on s.AccountId equals a.Id
                where s.Id == sessionId
                from p in db.People.AsNoTracking().Where(p => p.Id == personId).DefaultIfEmpty()
                select new SessionRead
                {
                    Session = new SessionRow(s.Id, s.AccountId, s.ExpiresAt, s.EndedAt, s.SecurityStamp, a.SecurityStamp, a.LockoutEnabled, a.LockoutEnd, a.DeactivatedAt),
                    PersonId = (string?)p!.Id,
                    NameZh = p.NameZh,
                    CommunityId = p.CommunityId,
                    UnitId = p.UnitId,
                    Language = p.Language,
                    Roles = p.Roles.Select(r => r.Role).ToList(),
                    Epoch = db.AuthorizationEpochs.Where(e => e.Id == AuthorizationEpoch.RowId).Select(e => (long?)e.Value).FirstOrDefault(),
                })
            .FirstOrDefault()));

    private sealed class SessionRead
    {
        public required SessionRow Session { get; init; }

        public string? PersonId { get; init; }

        public string NameZh { get; init; } = "";

        public string CommunityId { get; init; } = "";

        public string? UnitId { get; init; }

        public string Language { get; init; } = "";

        public List<string> Roles { get; init; } = [];

        /// <summary>The authorization epoch as this statement saw it; null when the epoch row is missing (nothing is kept then).</summary>
        public long? Epoch { get; init; }
    }

    internal sealed record SessionRow(
        Guid Id, string AccountId, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string Stamp, string? AccountStamp,
        bool LockoutEnabled, DateTimeOffset? LockoutEnd, DateTimeOffset? DeactivatedAt)
    {
        /// <summary>The directory entry of the principal's person, read with the session; null when there is none.</summary>
        public CallerEntry? Person { get; init; }
    }
}
