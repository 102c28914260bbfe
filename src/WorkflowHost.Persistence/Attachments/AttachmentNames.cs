namespace WorkflowHost.Persistence.Attachments;

/// <summary>What is kept of the name a file was uploaded under: its last path segment, without control characters.</summary>
public static class AttachmentNames
{
    public const int MaxLength = 255;

    /// <summary>The cleaned name, or null when nothing usable is left.</summary>
    public static string? Clean(string? given)
    {
        if (string.IsNullOrWhiteSpace(given))
        {
            return null;
        }

        // A browser may send a full path (C:\fakepath\…); only the last segment is the file's name.
        var last = given.Replace('\\', '/').Split('/').Last();
        var cleaned = new string([.. last.Where(c => !char.IsControl(c))]).Trim();
        return cleaned.Length is 0 or > MaxLength || cleaned is "." or ".." ? null : cleaned;
    }
}
