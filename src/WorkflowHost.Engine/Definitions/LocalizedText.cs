namespace WorkflowHost.Engine.Definitions;

/// <summary>A text in both languages the product ships: Simplified Chinese (the default) and English.</summary>
public sealed record LocalizedText
{
    [System.Text.Json.Serialization.JsonPropertyName("zh-CN")]
    public string? ZhCn { get; init; }

    [System.Text.Json.Serialization.JsonPropertyName("en")]
    public string? En { get; init; }

    public string For(string? language) => (IsEnglish(language) ? En : ZhCn) ?? ZhCn ?? En ?? "";

    /// <summary>
    /// Whether a language tag (a person's setting, <c>?lang=</c>, a culture name) asks for English: it starts with
    /// <c>en</c>. Anything else, and no tag, means Simplified Chinese. The one place that decides, for the engine, the
    /// jobs, the API and the pages.
    /// </summary>
    public static bool IsEnglish(string? language) => language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    public static LocalizedText Of(string zhCn, string en) => new() { ZhCn = zhCn, En = en };
}
