namespace WorkflowHost.Engine.Inputs;

/// <summary>The kinds of file a case may carry. The host recognises each by its content, never by its name.</summary>
public enum FileKind
{
    Pdf,
    Jpeg,
    Png,

    /// <summary>Word (Office Open XML): a zip container with <c>[Content_Types].xml</c> and a <c>word/</c> folder.</summary>
    Docx,

    /// <summary>Excel (Office Open XML): a zip container with <c>[Content_Types].xml</c> and an <c>xl/</c> folder.</summary>
    Xlsx,

    /// <summary>OFD (GB/T 33190, the Chinese fixed-layout e-document): a zip container with <c>OFD.xml</c> at its root.</summary>
    Ofd,
}
