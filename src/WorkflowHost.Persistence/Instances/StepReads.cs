using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence.Instances;

/// <summary>
/// A step's one read of its instance, compiled: the row, the answer stored under the idempotency key and the community's
/// directory version stamp (decision 110), the authorization epoch (decision 173), the state as its stored UTF-8 bytes (decision 163). Every vote runs it, and built per request it cost the expression tree, EF
/// Core's parameter extraction and, because the caller's roles are a list, the SQL generated again each time (issue 18).
/// </summary>
internal static class StepReads
{
    /// <summary>An API request's read: the instance only if the viewer may see it (else "not found").</summary>
    /// <remarks>
    /// <paramref name="keptUtf8"/>: the state's bytes this host kept for the instance, if any (decisions 182 and 186); the
    /// read then answers <see cref="InstanceRead.ChangedStateUtf8"/> null when the row holds exactly those bytes, on either
    /// database.
    /// </remarks>
    public static Task<InstanceRead?> ForViewerAsync(WorkflowDbContext db, Guid instanceId, Viewer viewer, string? keySuffix, byte[]? keptUtf8, CancellationToken cancellationToken) =>
        VisibleRead.For(db)(
            db, instanceId, viewer.PersonId, viewer.CommunityId, viewer.SeesWholeCommunity, viewer.OverseenCommunities.Length > 0, viewer.OverseenCommunities,
            viewer.LiaisonOfUnit, viewer.Roles, viewer.ContributesTo.Length > 0, viewer.ContributesTo, keySuffix, keptUtf8, cancellationToken);

    /// <summary>A job's read: confined to a community when given.</summary>
    public static Task<InstanceRead?> InCommunityAsync(WorkflowDbContext db, Guid instanceId, string? communityId, string? keySuffix, byte[]? keptUtf8, CancellationToken cancellationToken) =>
        CommunityRead.For(db)(db, instanceId, communityId, keySuffix, keptUtf8, cancellationToken);

    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string, string, bool, bool, string[], string?, string[], bool, string[], string?, byte[]?, CancellationToken, Task<InstanceRead?>>> VisibleRead = new(() =>
        EF.CompileAsyncQuery(WithRead(InstanceVisibility.Expand<Func<WorkflowDbContext, Guid, string, string, bool, bool, string[], string?, string[], bool, string[], string?, byte[]?, CancellationToken, InstanceRead?>>(
            (db, id, me, community, whole, oversees, overseen, unit, roles, contributes, collections, suffix, kept, _) =>
                db.Instances.AsNoTracking()
                    .Where(i => i.Id == id && InstanceVisibility.HoldsFor(i, id, db, me, community, whole, oversees, overseen, unit, roles, contributes, collections))
                    .Select(i => ReadOf(i, db, suffix, kept))
                    .FirstOrDefault()))));

    private static readonly CompiledPerModel<Func<WorkflowDbContext, Guid, string?, string?, byte[]?, CancellationToken, Task<InstanceRead?>>> CommunityRead = new(() =>
        EF.CompileAsyncQuery(WithRead<Func<WorkflowDbContext, Guid, string?, string?, byte[]?, CancellationToken, InstanceRead?>>(
            (db, id, community, suffix, kept, _) =>
                db.Instances.AsNoTracking()
                    .Where(i => i.Id == id && (community == null || i.CommunityId == community))
                    .Select(i => ReadOf(i, db, suffix, kept))
                    .FirstOrDefault())));

    /// <summary>
    /// Stands for <see cref="Read"/> inside the queries above; <see cref="WithRead{T}"/> puts the read in its place before
    /// EF Core sees them, so this is never called.
    /// </summary>
    private static InstanceRead ReadOf(WorkflowInstance i, WorkflowDbContext db, string? suffix, byte[]? kept) =>
        throw new InvalidOperationException("StepReads.ReadOf only marks the read's place in a query; splice the query first.");

    // The stored key is the community's id followed by the suffix (WorkflowCommands.ScopedKey with the community left for
    // SQL to add): the community is known only from the row.
    private static readonly Expression<Func<WorkflowInstance, WorkflowDbContext, string?, byte[]?, InstanceRead>> Read = (i, db, suffix, kept) =>
        new InstanceRead(
            new WorkflowInstance
            {
                Id = i.Id, CommunityId = i.CommunityId, DefinitionId = i.DefinitionId, DefinitionHash = i.DefinitionHash, InitiatorId = i.InitiatorId,
                UnitId = i.UnitId, Status = i.Status, Result = i.Result, StateJson = "", Version = i.Version, JournalSequence = i.JournalSequence,
                JournalHead = i.JournalHead, CreatedAt = i.CreatedAt, UpdatedAt = i.UpdatedAt, EndedAt = i.EndedAt, SubjectKey = i.SubjectKey,
            },
            StoredText.Utf8UnlessKnown(i.StateJson, kept),
            suffix == null ? null : db.IdempotentCommands.Where(c => c.Key == i.CommunityId + suffix).Select(c => c.ResultJson).FirstOrDefault(),
            db.Communities.Where(c => c.Id == i.CommunityId).Select(c => c.DirectoryVersion).FirstOrDefault(),
            db.AuthorizationEpochs.Where(e => e.Id == AuthorizationEpoch.RowId).Select(e => (long?)e.Value).FirstOrDefault());

    /// <summary>The query with every <see cref="ReadOf"/> replaced by the read over that call's arguments.</summary>
    private static Expression<T> WithRead<T>(Expression<T> query) => Spliced.Into(query, ReadOf, Read);
}

/// <summary>
/// The step's read: the row without its state text (<see cref="WorkflowInstance.StateJson"/> is left empty), the state as
/// the UTF-8 bytes it is stored in (<see cref="StoredText"/>, decision 163) unless they are exactly the bytes the host kept
/// and passed to the read (then null, decisions 182 and 186: <see cref="StateUtf8"/> answers the kept array), the answer under the key and the stamp, and
/// the authorization epoch as this same statement saw it (null: no epoch row), which a step answered from a reused session
/// check must find unchanged (decision 173).
/// </summary>
internal sealed record InstanceRead(WorkflowInstance Row, byte[]? ChangedStateUtf8, string? Stored, long DirectoryVersion, long? AuthorizationEpoch)
{
    /// <summary>
    /// The row's state bytes: those read, or, when the read answered none, <paramref name="keptUtf8"/>, the array passed to
    /// the read, which the row then holds byte for byte (kept arrays are never changed, <see cref="KeptStates"/>).
    /// </summary>
    public byte[] StateUtf8(byte[]? keptUtf8) =>
        ChangedStateUtf8 ?? keptUtf8 ?? throw new InvalidOperationException("The step's read answered no state bytes though none were passed to it.");
}
