using System.Globalization;

namespace WorkflowHost.Web;

/// <summary>Texts of attachments: the file inputs of the forms, the file lists of the case pages, the reply's file hashes.</summary>
public sealed partial class Texts
{
    public string Attachments => T("附件", "Attachments");
    public string NoAttachments => T("暂无附件。", "No files attached.");
    public string ChooseFiles => T("选择文件", "Choose files");
    public string UploadProgress => T("上传进度", "Upload progress");
    public string Uploading => T("正在上传…", "Uploading…");
    public string Uploaded => T("已上传", "Uploaded");
    public string UploadFailed => T("上传失败：", "Upload failed: ");
    public string RemoveFile => T("移除", "Remove");
    public string FileName => T("文件名", "File name");
    public string FileKind => T("类型", "Type");
    public string FileSize => T("大小", "Size");
    public string Download => T("下载", "Download");
    public string OpenInBrowser => T("在浏览器中查看", "Open in the browser");
    public string UntickToRemove => T("已附的文件：取消勾选即移除，可再添加新文件。", "Files already attached: untick one to remove it; you may add new ones.");
    public string CommentFiles => T("意见所附文件", "Files of the comment");
    public string FilesNotAccepted => T("这些文件不能附上：请检查类型、大小和个数。", "These files cannot be attached: check their type, size and number.");
    public string DecidedOnFiles => T("据以作出意见的材料（SHA-256 校验值）", "Files the decision was taken on (SHA-256)");
    public string FilesAccepted(string kinds, int maxFiles, long maxBytes) =>
        F("可上传 {0}，最多 {1} 个，每个不超过 {2}。", "{0}; at most {1} files, each at most {2}.", kinds, maxFiles, Size(maxBytes));

    /// <summary>A size people read: bytes, KB or MB, one decimal.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };

    public static string KindLabel(string kind) => kind.ToUpperInvariant();
}

/// <summary>
/// The files of a case as the partial <c>_Attachments</c> lists them; <paramref name="RemovedAt"/> marks the ones an
/// amendment removed, with the amendment's time as the page shows it.
/// </summary>
public sealed record AttachmentsPanel(IReadOnlyList<Features.Attachments.AttachmentView> Files, Texts T, IReadOnlyDictionary<Guid, string>? RemovedAt = null);
