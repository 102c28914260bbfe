using WorkflowHost.Features.Attachments;

namespace WorkflowHost.Pages;

/// <summary>The files on the case, listed with download links (read after the case was found visible).</summary>
public sealed partial class InstanceModel
{
    public IReadOnlyList<AttachmentView> Attachments { get; private set; } = [];

    private async Task LoadAttachmentsAsync(Guid id, CancellationToken cancellationToken) =>
        Attachments = await HttpContext.RequestServices.GetRequiredService<AttachmentReader>().OnInstanceAsync(id, cancellationToken);
}
