using WorkflowHost.Features.Attachments;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The files on the case, listed with download links (read after the case was found visible), and files on comments:
/// the comment box takes them where the definition allows, and a refused comment shows its files again by name.
/// </summary>
public sealed partial class InstanceModel
{
    private IReadOnlyList<string> _commentFileIds = [];
    private string? _commentText;

    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    /// <summary>The case's files an amendment removed, with the time of that amendment in the reader's zone.</summary>
    public IReadOnlyDictionary<Guid, string> RemovedAttachments => RemovedFiles.Of(Instance, Time);

    private IReadOnlyDictionary<string, AttachmentView> _knownFiles = new Dictionary<string, AttachmentView>();

    private async Task LoadAttachmentsAsync(Guid id, CancellationToken cancellationToken)
    {
        var reader = HttpContext.RequestServices.GetRequiredService<AttachmentReader>();
        Attachments = await reader.OnInstanceAsync(id, cancellationToken);
        _knownFiles = await FormFiles.KnownAsync(reader, Me, Attachments, _commentFileIds, cancellationToken);
    }

    private CommentsPanel WithCommentFiles(CommentsPanel panel) => Definition?.CommentFiles is { } rules
        ? panel with
        {
            Files = new CommentFilesBox(rules.AsField(), string.Join(',', _commentFileIds), _commentText,
                FieldErrors.Keys.Any(k => k.StartsWith("files", StringComparison.Ordinal)) ? T.FilesNotAccepted : null, _knownFiles),
        }
        : panel;
}
