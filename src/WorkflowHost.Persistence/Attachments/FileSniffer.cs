using System.IO.Compression;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Persistence.Attachments;

/// <summary>
/// Tells a file's kind from its content, never from its name: PDF, JPEG and PNG by their leading bytes, and the zip
/// containers (DOCX, XLSX, OFD) by the entries that make each what it is. Anything else is not a kind a case may carry.
/// </summary>
public static class FileSniffer
{
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The kind of the file in <paramref name="content"/> (a seekable stream at its start), or null.</summary>
    public static FileKind? Detect(Stream content)
    {
        Span<byte> head = stackalloc byte[8];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        content.Position = 0;
        if (head.StartsWith(Pdf))
        {
            return FileKind.Pdf;
        }

        if (head.StartsWith(Png))
        {
            return FileKind.Png;
        }

        if (head.StartsWith(Jpeg))
        {
            return FileKind.Jpeg;
        }

        return head.StartsWith(Zip) ? DetectContainer(content) : null;
    }

    private static FileKind? DetectContainer(Stream content)
    {
        try
        {
            // Reads the zip's central directory only; the entries themselves are not inflated.
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (names.Contains("OFD.xml", StringComparer.OrdinalIgnoreCase))
            {
                return FileKind.Ofd;
            }

            if (!names.Contains("[Content_Types].xml", StringComparer.Ordinal))
            {
                return null;
            }

            if (names.Exists(n => n.StartsWith("word/", StringComparison.Ordinal)))
            {
                return FileKind.Docx;
            }

            return names.Exists(n => n.StartsWith("xl/", StringComparison.Ordinal)) ? FileKind.Xlsx : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>The kind a file name claims by its extension, or null when it claims none of ours.</summary>
    public static FileKind? ClaimedBy(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".pdf" => FileKind.Pdf,
        ".jpg" or ".jpeg" => FileKind.Jpeg,
        ".png" => FileKind.Png,
        ".docx" => FileKind.Docx,
        ".xlsx" => FileKind.Xlsx,
        ".ofd" => FileKind.Ofd,
        _ => null,
    };

    /// <summary>The stored name of a kind (<c>pdf</c>, <c>docx</c>…), as in the engine's JSON.</summary>
    public static string Name(FileKind kind) => kind.ToString().ToLowerInvariant();

    public static FileKind Parse(string name) => Enum.Parse<FileKind>(name, ignoreCase: true);

    public static string MediaType(FileKind kind) => kind switch
    {
        FileKind.Pdf => "application/pdf",
        FileKind.Jpeg => "image/jpeg",
        FileKind.Png => "image/png",
        FileKind.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        FileKind.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        FileKind.Ofd => "application/ofd",
        _ => "application/octet-stream",
    };
}
