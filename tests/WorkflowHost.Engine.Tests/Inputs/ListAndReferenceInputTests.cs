using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Inputs;

/// <summary>The field types added for the processes: lists of items, times, people and units, and fields required only sometimes.</summary>
public sealed class ListAndReferenceInputTests
{
    private static readonly WorkflowDefinition Form = TestDefinitions.Flow(
        """{ "id": "finish", "type": "end", "result": "done" }""",
        "",
        """
        {
          "name": "actions", "type": "list", "maxItems": 2, "label": { "zh-CN": "事项", "en": "Actions" },
          "items": [
            { "name": "unit", "type": "unit", "required": true, "label": { "zh-CN": "单位", "en": "Unit" } },
            { "name": "dueDate", "type": "date", "required": true, "notInPast": true, "label": { "zh-CN": "时限", "en": "Due" } }
          ]
        },
        { "name": "startsAt", "type": "time", "label": { "zh-CN": "开始", "en": "Starts" } },
        { "name": "member", "type": "person", "role": "in-service-member", "label": { "zh-CN": "党员", "en": "Member" } },
        { "name": "kind", "type": "choice", "label": { "zh-CN": "类别", "en": "Kind" },
          "options": [ { "value": "facility", "label": { "zh-CN": "设施", "en": "Facility" } }, { "value": "money", "label": { "zh-CN": "资金", "en": "Money" } } ] },
        { "name": "facility", "type": "text", "requiredIf": { "field": "kind", "equalTo": "facility" }, "label": { "zh-CN": "设施", "en": "Facility" } }
        """);

    private static (JsonObject? Normalised, Refusal? Refusal) Validate(string json) =>
        InputValidation.Validate(Form, JsonNode.Parse(json)!.AsObject(), new RunContext(InputForm.Now, SeedCommunity.Directory, SeedCalendar.Calendar));

    [Fact]
    public void A_valid_list_comes_back_normalised_item_by_item()
    {
        var (normalised, refusal) = Validate("""
            { "actions": [ { "unit": " unit-detai-precision ", "dueDate": "2026-03-20" } ], "startsAt": "09:30", "member": "p-inservice-ye" }
            """);

        Assert.Null(refusal);
        Assert.Equal(
            """{"actions":[{"unit":"unit-detai-precision","dueDate":"2026-03-20"}],"startsAt":"09:30","member":"p-inservice-ye"}""",
            normalised!.ToJsonString());
    }

    [Fact]
    public void Every_invalid_item_field_is_reported_with_its_position()
    {
        var (normalised, refusal) = Validate("""
            { "actions": [ { "unit": "unit-nowhere", "dueDate": "2026-03-20" }, { "dueDate": "2020-01-01", "extra": 1 } ] }
            """);

        Assert.Null(normalised);
        var errors = refusal!.FieldErrors!;
        Assert.Equal(["actions[0].unit", "actions[1].dueDate", "actions[1].extra", "actions[1].unit"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["'actions[0].unit' must be a resident unit of this community."], errors["actions[0].unit"]);
        Assert.Equal(["'actions[1].unit' is required."], errors["actions[1].unit"]);
        Assert.Equal(["'actions[1].dueDate' must not be in the past."], errors["actions[1].dueDate"]);
        Assert.Equal(["'actions[1].extra' is not a field of 'test-flow'."], errors["actions[1].extra"]);
    }

    [Fact]
    public void A_list_has_at_most_its_max_items() =>
        InputForm_AssertRefused(
            """{ "actions": [ { "unit": "unit-detai-precision", "dueDate": "2026-03-20" }, { "unit": "unit-detai-precision", "dueDate": "2026-03-20" }, { "unit": "unit-detai-precision", "dueDate": "2026-03-20" } ] }""",
            "actions", "'actions' must have at most 2 items; it has 3.");

    [Theory]
    [InlineData("""{ "actions": {} }""", "'actions' must be a list.")]
    [InlineData("""{ "actions": [ "unit-detai-precision" ] }""", "'actions[0]' must be an object.")]
    public void A_list_holds_objects(string input, string message)
    {
        var (_, refusal) = Validate(input);

        Assert.Contains(message, refusal!.FieldErrors!.Values.SelectMany(v => v));
    }

    [Theory]
    [InlineData("9:30")]
    [InlineData("24:00")]
    [InlineData("09:30:00")]
    public void A_time_is_written_HH_mm(string time) =>
        InputForm_AssertRefused($$"""{ "startsAt": "{{time}}" }""", "startsAt", "'startsAt' must be a time written HH:mm (24-hour).");

    [Theory]
    [InlineData("p-nobody", "'member' must be a person of this community.")]
    [InlineData("p-member-li", "'member' must be a person holding the role 'in-service-member'.")]
    public void A_person_must_be_known_and_hold_the_role(string person, string message) =>
        InputForm_AssertRefused($$"""{ "member": "{{person}}" }""", "member", message);

    [Fact]
    public void A_field_required_if_another_has_a_value_is_required_only_then()
    {
        InputForm_AssertRefused("""{ "kind": "facility" }""", "facility", "'facility' is required when 'kind' is 'facility'.");
        Assert.Null(Validate("""{ "kind": "money" }""").Refusal);
    }

    private static void InputForm_AssertRefused(string input, string field, string message)
    {
        var (normalised, refusal) = Validate(input);

        Assert.Null(normalised);
        Assert.Equal(RefusalCode.InvalidInput, refusal!.Code);
        Assert.Equal([message], refusal.FieldErrors![field]);
    }
}
