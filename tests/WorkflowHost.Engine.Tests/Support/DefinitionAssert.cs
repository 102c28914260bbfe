using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Engine.Tests.Support;

internal static class DefinitionAssert
{
    public const string FileName = "broken.json";

    /// <summary>Reading <paramref name="json"/> fails with an error at <paramref name="path"/> whose reason contains <paramref name="reason"/>.</summary>
    public static void AssertError(string json, string path, string reason)
    {
        var exception = Assert.Throws<DefinitionException>(() => DefinitionReader.Read(FileName, json));

        Assert.Contains(exception.Errors, e => e.File == FileName && e.Path == path && e.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Contains($"{FileName}: {path}: ", exception.Message, StringComparison.Ordinal);
    }
}
