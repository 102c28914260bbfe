using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Attachments;

namespace WorkflowHost.Features.Attachments;

/// <summary>A file as a list shows it: enough to download it and to know what it is before doing so.</summary>
public sealed record AttachmentView(Guid Id, string Name, string Kind, long Size, string Sha256, DateTimeOffset UploadedAt, string UploadedBy);

/// <summary>
/// Who may see a file: whoever may see the case it is on, with the same rule as the case itself
/// (<see cref="Access.VisibleTo"/>); a file on no case yet, only the person who uploaded it. Anyone else is told there is
/// no such file, so ids cannot be probed.
/// </summary>
internal sealed class AttachmentReader(IDbContextFactory<WorkflowDbContext> contextFactory)
{
    public async Task<Attachment?> FindVisibleAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (attachment is null)
        {
            return null;
        }

        if (attachment.InstanceId is not { } instanceId)
        {
            return attachment.UploadedBy == caller.PersonId && attachment.CommunityId == caller.CommunityId ? attachment : null;
        }

        return await db.Instances.AsNoTracking().OneVisibleTo(instanceId, db, caller).AnyAsync(cancellationToken) ? attachment : null;
    }

    /// <summary>The files on a case, oldest first; the caller has already been found allowed to see the case.</summary>
    public async Task<IReadOnlyList<AttachmentView>> OnInstanceAsync(Guid instanceId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await OnInstanceAsync(db, instanceId, cancellationToken);
    }

    /// <summary>
    /// The caller's own uploads among <paramref name="ids"/> that are on no case yet: the files a refused form carried, so
    /// the page shows them again by name instead of asking for them again.
    /// </summary>
    public async Task<IReadOnlyList<AttachmentView>> PendingAsync(Caller caller, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attachments.AsNoTracking()
            .Where(a => ids.Contains(a.Id) && a.InstanceId == null && a.UploadedBy == caller.PersonId && a.CommunityId == caller.CommunityId)
            .Select(a => new AttachmentView(a.Id, a.FileName, a.Kind, a.Size, a.Sha256, a.UploadedAt, a.UploadedBy))
            .ToListAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<AttachmentView>> OnInstanceAsync(WorkflowDbContext db, Guid instanceId, CancellationToken cancellationToken) =>
        await db.Attachments.AsNoTracking().Where(a => a.InstanceId == instanceId).OrderBy(a => a.UploadedAt).ThenBy(a => a.Id)
            .Select(a => new AttachmentView(a.Id, a.FileName, a.Kind, a.Size, a.Sha256, a.UploadedAt, a.UploadedBy))
            .ToListAsync(cancellationToken);
}
