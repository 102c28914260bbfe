using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Support;

/// <summary>A start form with one field of each kind, validated at a fixed instant, with assertions on its field errors.</summary>
internal static class InputForm
{
    /// <summary>Sunday 1 March 2026 20:00 UTC is already Monday 2 March, 04:00, in Shanghai.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 20, 0, 0, TimeSpan.Zero);

    public static readonly WorkflowDefinition Form = TestDefinitions.Flow(
        """{ "id": "finish", "type": "end", "result": "done" }""",
        "",
        """
        { "name": "title", "type": "text", "required": true, "maxLength": 10, "label": { "zh-CN": "标题", "en": "Title" } },
        { "name": "kind", "type": "choice", "label": { "zh-CN": "类别", "en": "Kind" },
          "options": [ { "value": "award", "label": { "zh-CN": "评优", "en": "Award" } }, { "value": "promotion", "label": { "zh-CN": "提拔", "en": "Promotion" } } ] },
        { "name": "due", "type": "date", "notInPast": true, "label": { "zh-CN": "日期", "en": "Date" } },
        { "name": "count", "type": "integer", "min": 1, "max": 5, "label": { "zh-CN": "人数", "en": "Count" } },
        { "name": "nominee", "type": "idNumber", "label": { "zh-CN": "身份证号", "en": "Identity number" } },
        { "name": "urgent", "type": "boolean", "label": { "zh-CN": "加急", "en": "Urgent" } }
        """);

    public static (JsonObject? Normalised, Refusal? Refusal) Validate(string input) => Validate(JsonNode.Parse(input)!.AsObject());

    public static (JsonObject? Normalised, Refusal? Refusal) Validate(JsonObject input) =>
        InputValidation.Validate(Form, input, new RunContext(Now, SeedCommunity.Directory, SeedCalendar.Calendar));

    public static void AssertRefused(string input, string field, string message) => AssertRefused(JsonNode.Parse(input)!.AsObject(), field, message);

    public static void AssertRefused(JsonObject input, string field, string message)
    {
        var (normalised, refusal) = Validate(input);

        Assert.Null(normalised);
        Assert.Equal(RefusalCode.InvalidInput, refusal!.Code);
        Assert.Equal([message], refusal.FieldErrors![field]);
    }

    public static void AssertField(JsonObject input, string field, bool accepted)
    {
        var (_, refusal) = Validate(input);

        Assert.Equal(accepted, refusal?.FieldErrors?.ContainsKey(field) != true);
        Assert.Equal(accepted, refusal is null);
    }
}
