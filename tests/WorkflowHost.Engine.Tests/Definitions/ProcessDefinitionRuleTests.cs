using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Definitions;

/// <summary>What the reader refuses in the properties added for the three processes.</summary>
public sealed class ProcessDefinitionRuleTests
{
    private const string End = """, { "id": "end", "type": "end", "result": "x" }""";

    private static void AssertTaskError(string task, string path, string reason) =>
        DefinitionAssert.AssertError(TestDefinitions.FlowJson(task + End, """{ "from": "t", "outcome": "ok", "to": "end" }"""), path, reason);

    private const string Label = """ "label": { "zh-CN": "字段", "en": "Field" } """;

    [Fact]
    public void FieldsFor_names_declared_outcomes() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fieldsFor": ["no"], "fields": [ { "name": "a", "type": "text", {{Label}} } ] }""",
            "$.activities[0].fieldsFor", "fieldsFor names an outcome the task does not declare");

    [Fact]
    public void FieldsFor_needs_fields() =>
        AssertTaskError("""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fieldsFor": ["ok"] }""",
            "$.activities[0].fieldsFor", "fieldsFor needs fields");

    [Fact]
    public void A_list_needs_item_fields() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fields": [ { "name": "a", "type": "list", {{Label}} } ] }""",
            "$.activities[0].fields[0].items", "a list field needs its item fields");

    [Fact]
    public void Lists_nest_one_level_only() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fields": [ { "name": "a", "type": "list", {{Label}}, "items": [ { "name": "b", "type": "list", {{Label}}, "items": [ { "name": "c", "type": "text", {{Label}} } ] } ] } ] }""",
            "$.activities[0].fields[0].items[0].type", "a list item cannot hold another list");

    [Fact]
    public void MaxItems_belongs_to_lists() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fields": [ { "name": "a", "type": "text", "maxItems": 3, {{Label}} } ] }""",
            "$.activities[0].fields[0].maxItems", "maxItems applies to list fields only");

    [Fact]
    public void RequiredIf_names_a_sibling_field() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fields": [ { "name": "a", "type": "text", "requiredIf": { "field": "b", "equalTo": "x" }, {{Label}} } ] }""",
            "$.activities[0].fields", "requiredIf names 'b'");

    [Fact]
    public void A_role_belongs_to_person_fields() =>
        AssertTaskError($$"""{ "id": "t", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "fields": [ { "name": "a", "type": "text", "role": "office", {{Label}} } ] }""",
            "$.activities[0].fields[0].role", "role applies to person fields only");

    [Fact]
    public void A_per_item_task_is_assigned_in_exactly_one_way() =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson("""{ "id": "t", "type": "taskPerItem", "items": "input.x" }""" + End,
                """{ "from": "t", "outcome": "done", "to": "end" }"""),
            "$.activities[0]", "assign each task in exactly one way");

    [Fact]
    public void Per_item_reminders_need_a_due_date() =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson("""{ "id": "t", "type": "taskPerItem", "items": "input.x", "assignUnit": "item.unit", "remind": [ { "before": { "days": 1 } } ] }""" + End,
                """{ "from": "t", "outcome": "done", "to": "end" }"""),
            "$.activities[0].remind", "reminders count back from a deadline");

    [Fact]
    public void Closing_early_is_an_outcome_only_with_closableBy() =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson("""{ "id": "t", "type": "taskPerItem", "items": "input.x", "assignUnit": "item.unit" }""" + End,
                """{ "from": "t", "outcome": "done", "to": "end" }, { "from": "t", "outcome": "closed", "to": "end" }"""),
            "$.transitions[1].outcome", "'t' has no outcome 'closed'");

    [Theory]
    [InlineData(""" "resource": "nothing", "date": "input.d", "from": "f", "to": "t" """, "$.activities[0].reserve.resource", "'resource' must name a text or choice field")]
    [InlineData(""" "resource": "r", "date": "input.d", "from": "r", "to": "t" """, "$.activities[0].reserve.from", "'from' must name a time field")]
    [InlineData(""" "resource": "r", "from": "f", "to": "t" """, "$.activities[0].reserve", "exactly one of 'date'")]
    [InlineData(""" "resource": "r", "date": "input.d", "from": "f", "to": "t", "onlyIf": { "field": "kind", "equalTo": "x" } """, "$.activities[0].reserve.onlyIf.field", "'onlyIf' must test a field")]
    public void A_reservation_names_the_items_fields(string reserve, string path, string reason) =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson($$"""
                { "id": "c", "type": "collect", "contributors": { "role": "unit-liaison" }, "closedBy": { "role": "office" },
                  "fields": [ { "name": "r", "type": "text", {{Label}} }, { "name": "f", "type": "time", {{Label}} }, { "name": "t", "type": "time", {{Label}} } ],
                  "reserve": { {{reserve}} } }
                """ + End, """{ "from": "c", "outcome": "closed", "to": "end" }"""),
            path, reason);

    [Fact]
    public void A_collection_needs_item_fields() =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson("""{ "id": "c", "type": "collect", "contributors": { "role": "unit-liaison" }, "closedBy": { "role": "office" }, "fields": [] }""" + End,
                """{ "from": "c", "outcome": "closed", "to": "end" }"""),
            "$.activities[0].fields", "a collection needs the fields of its items");

    [Fact]
    public void A_loop_through_a_collection_waits_so_it_is_allowed()
    {
        var json = TestDefinitions.FlowJson(
            $$"""
            { "id": "c", "type": "collect", "contributors": { "role": "unit-liaison" }, "closedBy": { "role": "office" }, "fields": [ { "name": "r", "type": "text", {{Label}} } ] },
            { "id": "d", "type": "decision", "rules": [ { "outcome": "again", "when": { "field": "activities.c.count", "equalTo": 0 } } ], "otherwise": "stop" }
            """ + End,
            """{ "from": "c", "outcome": "closed", "to": "d" }, { "from": "d", "outcome": "again", "to": "c" }, { "from": "d", "outcome": "stop", "to": "end" }""");

        Assert.Equal("test-flow", Engine.Definitions.DefinitionReader.Read("loop.json", json).Id);
    }
}
