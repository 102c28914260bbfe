using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// The store's side of a step's files: before the step, the uploads it may refer to (read only when the stimulus carries
/// something that looks like an attachment id, so a vote costs no extra command); after the engine accepted it, the
/// uploads it referred to are put on the instance in the step's transaction.
/// </summary>
internal static class StepAttachments
{
    /// <summary>The catalog for a step, or null when the stimulus names no attachment (no query).</summary>
    public static async Task<IAttachmentCatalog?> ForAsync(WorkflowDbContext db, string communityId, Guid instanceId, Stimulus stimulus, CancellationToken cancellationToken)
    {
        var (actor, payload) = stimulus switch
        {
            StartInstance start => (start.InitiatorId, (JsonNode?)start.Input),
            CompleteTask complete => (complete.ActorId, new JsonArray(complete.Data?.DeepClone(), complete.AmendedInput?.DeepClone())),
            Contribute contribute => (contribute.ActorId, contribute.Item),
            AddComment comment => (comment.ActorId, new JsonArray([.. (comment.Files ?? []).Select(f => JsonValue.Create(f.ToString("D")))])),
            _ => ("", null),
        };
        var ids = AttachmentJson.Ids(payload).Distinct().ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        var rows = await db.Attachments.AsNoTracking()
            .Where(a => ids.Contains(a.Id) && a.CommunityId == communityId
                && ((a.InstanceId == null && a.UploadedBy == actor) || a.InstanceId == instanceId))
            .ToListAsync(cancellationToken);
        return new AttachmentCatalog(rows.Select(a => new AttachmentReference(a.Id, a.Sha256, a.FileName, a.Size, FileSniffer.Parse(a.Kind))));
    }

    /// <summary>
    /// Puts the uploads on the instance. Each row is updated only if it is still on no case (or on this one): an upload the
    /// cleaner deleted, or another step took, in the meantime shows up as a concurrency conflict and the step runs again,
    /// then refused with "upload it again" because the upload is no longer in its catalog.
    /// </summary>
    public static async Task AttachAsync(WorkflowDbContext db, Guid instanceId, string communityId, IReadOnlyList<Guid> attachmentIds, CancellationToken cancellationToken)
    {
        var ids = attachmentIds.Distinct().ToList();
        var rows = await db.Attachments
            .Where(a => ids.Contains(a.Id) && a.CommunityId == communityId && (a.InstanceId == null || a.InstanceId == instanceId))
            .ToListAsync(cancellationToken);
        if (rows.Count != ids.Count)
        {
            throw new Instances.ConcurrencyConflictException($"An attachment of instance {instanceId} was taken or cleaned while the step ran.");
        }

        foreach (var row in rows.Where(r => r.InstanceId is null))
        {
            row.InstanceId = instanceId;
        }
    }
}
