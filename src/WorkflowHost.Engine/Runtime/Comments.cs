using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// Comments on a running instance (讨论意见). Who takes part may comment: the initiator, anyone a step of the instance is
/// open for now (a task's assignees, a ballot's eligible voters), and the roles the definition lists in <c>commentableBy</c>.
/// </summary>
internal static class Comments
{
    public static Refusal? Add(ExecutionScope scope, AddComment comment)
    {
        var actor = scope.Context.Directory.Find(comment.ActorId);
        if (actor is null)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{comment.ActorId}' is not known in community '{scope.State.CommunityId}'.");
        }

        var text = comment.Text?.Trim() ?? "";
        if (text.Length == 0 || text.Length > AddComment.MaxLength)
        {
            var message = text.Length == 0 ? "A comment needs text." : $"A comment must be at most {AddComment.MaxLength} characters; it has {text.Length}.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["text"] = [message] });
        }

        Bookmark? onStep = null;
        if (comment.BookmarkId is { } bookmarkId && !scope.TryFindOpenBookmark(bookmarkId, out onStep, out var notOpen))
        {
            return notOpen;
        }

        if (!IsParticipant(scope, actor))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{actor.Id}' does not take part in this instance and cannot comment on it.");
        }

        var (files, filesRefused) = CheckFiles(scope, comment);
        if (filesRefused is not null)
        {
            return filesRefused;
        }

        if (onStep is not null)
        {
            TaskHolding.Touch(onStep, actor.Id);
        }

        var id = $"comment#{scope.State.NextSequence++.ToString(CultureInfo.InvariantCulture)}";
        scope.Emit(new CommentRecorded(id, actor.Id, text, comment.BookmarkId, files is { Count: > 0 } ? (JsonArray)files.DeepClone() : null));
        var journal = new JsonObject { ["comment"] = id, ["by"] = actor.Id, ["bookmark"] = comment.BookmarkId, ["text"] = text };
        if (files is { Count: > 0 })
        {
            // The references carry each file's SHA-256, so the hash chain covers what the comment attached.
            journal["attachments"] = files.DeepClone();
            scope.ReferenceAttachments([scope.Definition.CommentFiles!.AsField()], new JsonObject { ["files"] = files.DeepClone() });
        }

        scope.Journal(JournalEventTypes.CommentAdded, journal);
        return null;
    }

    private static (JsonArray? Files, Refusal? Refusal) CheckFiles(ExecutionScope scope, AddComment comment)
    {
        if (comment.Files is not { Count: > 0 } given)
        {
            return (null, null);
        }

        if (scope.Definition.CommentFiles is not { } rules)
        {
            const string message = "Comments on this process take no files.";
            return (null, new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["files"] = [message] }));
        }

        var form = new JsonObject { ["files"] = new JsonArray([.. given.Select(g => JsonValue.Create(g.ToString("D")))]) };
        var (checkedForm, refusal) = Inputs.InputValidation.ValidateFields([rules.AsField()], form, scope.Context, "comment", "The comment's files are not valid.");
        return (checkedForm?["files"] as JsonArray, refusal);
    }

    private static bool IsParticipant(ExecutionScope scope, DirectoryPerson actor) =>
        actor.Id == scope.State.Initiator.PersonId
        || scope.Definition.CommentableBy.Any(actor.HasRole)
        || scope.State.Bookmarks.Exists(b =>
            (b.Task is { } task && (task.Assignee.Allows(actor) || task.InHand == actor.Id || task.DelegatedTo == actor.Id))
            || (b.Ballot is { } ballot && ballot.Eligible.Contains(actor.Id)));
}
