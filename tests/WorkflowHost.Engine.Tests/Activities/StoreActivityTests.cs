using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>Activities whose work the store finishes: lookups, documents, register rows, released reservations.</summary>
public sealed class StoreActivityTests
{
    private static readonly WorkflowDefinition Definition = TestDefinitions.Flow(
        """
        { "id": "lookup", "type": "lookup", "provider": "community-record", "parameters": { "name": "input.name", "unit": "initiator.unitId", "missing": "input.nothing" } },
        { "id": "doc", "type": "issueDocument", "document": "consultation-reply", "series": "reply", "format": "HF-{year}-{seq:000}",
          "content": { "nominee": { "from": "input.name" }, "decision": { "value": "consent" }, "members": { "from": "input.members" } } },
        { "id": "rec", "type": "record", "register": "participation", "values": { "title": "input.name" },
          "rowsFrom": "input.members", "rowFields": { "member": "item.member", "title": "input.name" } },
        { "id": "release", "type": "releaseReservations" },
        { "id": "end", "type": "end", "result": "done" }
        """,
        """
        { "from": "lookup", "to": "doc" }, { "from": "doc", "to": "rec" }, { "from": "rec", "to": "release" }, { "from": "release", "to": "end" }
        """,
        """
        { "name": "name", "type": "text", "required": true, "label": { "zh-CN": "姓名", "en": "Name" } },
        { "name": "members", "type": "list", "label": { "zh-CN": "党员", "en": "Members" },
          "items": [ { "name": "member", "type": "person", "required": true, "label": { "zh-CN": "党员", "en": "Member" } } ] }
        """);

    private static InstanceDriver Run() => InstanceDriver.Started(Definition, DetaiLiaison, new JsonObject
    {
        ["name"] = "黄思远",
        ["members"] = new JsonArray(new JsonObject { ["member"] = "p-inservice-huang" }, new JsonObject { ["member"] = "p-inservice-ye" }),
    });

    [Fact]
    public void A_lookup_hands_its_parameters_to_the_store()
    {
        var request = Assert.Single(Run().History.OfType<LookupRequested>());

        Assert.Equal(("lookup", "community-record"), (request.ActivityId, request.Provider));
        Assert.Equal("""{"missing":null,"name":"黄思远","unit":"unit-detai-precision"}""", request.Parameters.ToJsonString(EngineJson.Options));
    }

    [Fact]
    public void A_document_is_composed_from_paths_and_literals_in_name_order()
    {
        var request = Assert.Single(Run().History.OfType<DocumentRequested>());

        Assert.Equal(("doc", "consultation-reply", "reply", 2026, "HF-{year}-{seq:000}"), (request.ActivityId, request.Document, request.Series, request.Year, request.Format));
        Assert.Equal(["decision", "members", "nominee"], request.Content.Select(c => c.Key));
        Assert.Equal("consent", request.Content["decision"]!.GetValue<string>());
        Assert.Equal(2, request.Content["members"]!.AsArray().Count);
    }

    [Fact]
    public void A_record_gives_one_row_per_list_element()
    {
        var request = Assert.Single(Run().History.OfType<RecordsRequested>());

        Assert.Equal("participation", request.Register);
        Assert.Equal("""[{"member":"p-inservice-huang","title":"黄思远"},{"member":"p-inservice-ye","title":"黄思远"}]""", request.Rows.ToJsonString(EngineJson.Options));
        Assert.Equal("黄思远", request.Values["title"]!.GetValue<string>());
    }

    [Fact]
    public void Releasing_reservations_is_an_effect_and_the_flow_goes_on()
    {
        var driver = Run();

        Assert.Equal(new AllReservationsReleased("release"), Assert.Single(driver.History.OfType<AllReservationsReleased>()));
        Assert.Equal(InstanceStatus.Completed, driver.State.Status);
    }

    [Theory]
    [InlineData("""{ "id": "doc", "type": "issueDocument", "document": "reply", "series": "reply", "content": { "a": { "from": "input.x", "value": 1 } } }""", "$.activities[0].content", "either")]
    [InlineData("""{ "id": "doc", "type": "issueDocument", "document": "reply", "series": "reply", "content": { "a": { "from": "nowhere.x" } } }""", "$.activities[0].content", "a field path starts with one of")]
    [InlineData("""{ "id": "doc", "type": "issueDocument", "document": "reply", "series": "reply", "content": {} }""", "$.activities[0].content", "a document needs content")]
    [InlineData("""{ "id": "doc", "type": "issueDocument", "document": "reply", "series": "reply", "format": "{year}", "content": { "a": { "value": 1 } } }""", "$.activities[0].format", "{seq}")]
    [InlineData("""{ "id": "doc", "type": "lookup", "provider": "Community Record" }""", "$.activities[0].provider", "")]
    [InlineData("""{ "id": "doc", "type": "record", "register": "participation", "rowFields": { "member": "item.member" } }""", "$.activities[0].rowFields", "rowFields need rowsFrom")]
    [InlineData("""{ "id": "doc", "type": "record", "register": "participation", "rowsFrom": "input.x", "rowFields": { "member": "row.member" } }""", "$.activities[0].rowFields", "item")]
    public void Malformed_store_activities_are_refused_by_the_reader(string activity, string path, string reason) =>
        DefinitionAssert.AssertError(
            TestDefinitions.FlowJson(activity + """, { "id": "end", "type": "end", "result": "x" }""", """{ "from": "doc", "to": "end" }"""),
            path, reason);
}
