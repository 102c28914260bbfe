namespace WorkflowHost.Engine.Definitions;

/// <summary>A text in both languages the product ships: Simplified Chinese (the default) and English.</summary>
public sealed record LocalizedText
{
    [System.Text.Json.Serialization.JsonPropertyName("zh-CN")]
    public string? ZhCn { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("en")]
    public string? En { get; init; }

    public string For(string? language) =>
        (language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? En : ZhCn) ?? ZhCn ?? En ?? "";

    public static LocalizedText Of(string zhCn, string en) => new() { ZhCn = zhCn, En = en };
}
