using WorkflowHost.Features.Attachments;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The files on the case, listed with download links (read after the case was found visible); the files the forms
/// carry (an amendment's, a task form's, a comment's), shown by name after a refusal; files on comments.
/// </summary>
public sealed partial class WorkModel
{
    private IReadOnlyList<string> _commentFileIds = [];
    private string? _commentText;

    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    /// <summary>The case's files an amendment removed, marked in the list as on the instance page.</summary>
    public IReadOnlyDictionary<Guid, string> RemovedAttachments => RemovedFiles.Of(Instance, Time);

    /// <summary>The files the forms may name: those on the case and the caller's uploads a refused form carried.</summary>
    public IReadOnlyDictionary<string, AttachmentView> KnownFiles { get; private set; } = new Dictionary<string, AttachmentView>();

    private async Task LoadAttachmentsAsync(Guid id, CancellationToken cancellationToken)
    {
        var reader = HttpContext.RequestServices.GetRequiredService<AttachmentReader>();
        Attachments = await reader.OnInstanceAsync(id, cancellationToken);
        KnownFiles = await FormFiles.KnownAsync(reader, Me, Attachments, Values.Values.Concat(_commentFileIds), cancellationToken);
    }

    /// <summary>The comment box takes files where the definition allows them (<c>commentFiles</c>).</summary>
    private CommentsPanel WithCommentFiles(CommentsPanel panel) => Definition?.CommentFiles is { } rules
        ? panel with
        {
            Files = new CommentFilesBox(rules.AsField(), string.Join(',', _commentFileIds), _commentText,
                FieldErrors.Keys.Any(k => k.StartsWith("files", StringComparison.Ordinal)) ? T.FilesNotAccepted : null, KnownFiles),
        }
        : panel;
}
