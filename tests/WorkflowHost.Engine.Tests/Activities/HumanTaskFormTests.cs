using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>A task's own form: the office places an item on an agenda with a date, a place and the kind of ballot.</summary>
public sealed class HumanTaskFormTests
{
    private static readonly WorkflowDefinition Agenda = TestDefinitions.Flow(
        """
        { "id": "agenda", "type": "humanTask", "assignee": { "role": "office" },
          "outcomes": [ { "name": "schedule" }, { "name": "decline" } ],
          "fieldsFor": ["schedule"],
          "fields": [
            { "name": "meetingDate", "type": "date", "required": true, "notInPast": true, "label": { "zh-CN": "日期", "en": "Date" } },
            { "name": "place", "type": "text", "required": true, "maxLength": 20, "label": { "zh-CN": "地点", "en": "Place" } },
            { "name": "secretBallot", "type": "boolean", "required": true, "label": { "zh-CN": "无记名", "en": "Secret" } }
          ] },
        { "id": "again", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "redo" }, { "name": "finish" } ] },
        { "id": "end", "type": "end", "result": "done" }
        """,
        """
        { "from": "agenda", "outcome": "schedule", "to": "again" },
        { "from": "agenda", "outcome": "decline", "to": "again" },
        { "from": "again", "outcome": "redo", "to": "agenda" },
        { "from": "again", "outcome": "finish", "to": "end" }
        """);

    private static JsonObject Valid() => new() { ["meetingDate"] = "2026-03-10", ["place"] = " 社区党群服务中心 ", ["secretBallot"] = true };

    [Fact]
    public void The_form_is_checked_normalised_and_recorded_under_data()
    {
        var driver = InstanceDriver.Started(Agenda, DetaiLiaison);

        driver.Send(new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "schedule", Data: Valid()));

        Assert.Equal("""{"meetingDate":"2026-03-10","place":"社区党群服务中心","secretBallot":true}""",
            driver.State.Variables["agenda"]!["data"]!.ToJsonString(EngineJson.Options));
    }

    [Fact]
    public void Every_invalid_field_is_reported_and_nothing_changes()
    {
        var driver = InstanceDriver.Started(Agenda, DetaiLiaison);

        var refusal = driver.Refuse(
            new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "schedule", Data: new JsonObject { ["meetingDate"] = "2026-03-01", ["place"] = new string('地', 21) }),
            RefusalCode.InvalidInput);

        Assert.Equal(["meetingDate", "place", "secretBallot"], refusal.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["'meetingDate' must not be in the past."], refusal.FieldErrors["meetingDate"]);
        Assert.Equal(["'secretBallot' is required."], refusal.FieldErrors["secretBallot"]);
    }

    [Fact]
    public void An_outcome_outside_fieldsFor_needs_no_form_and_takes_none()
    {
        var driver = InstanceDriver.Started(Agenda, DetaiLiaison);
        var task = driver.OpenBookmark("agenda").Id;

        driver.Refuse(new CompleteTask(task, OfficeXie, "decline", Data: Valid()), RefusalCode.InvalidInput);
        driver.Send(new CompleteTask(task, OfficeXie, "decline"));

        Assert.Null(driver.State.Variables["agenda"]!["data"]);
    }

    [Fact]
    public void A_task_without_a_form_refuses_data()
    {
        var driver = InstanceDriver.Started(Agenda, DetaiLiaison);
        driver.Send(new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "schedule", Data: Valid()));

        driver.Refuse(new CompleteTask(driver.OpenBookmark("again").Id, OfficeXie, "finish", Data: new JsonObject { ["x"] = 1 }), RefusalCode.NotAllowed);
    }

    [Fact]
    public void Running_the_task_again_replaces_its_data()
    {
        var driver = InstanceDriver.Started(Agenda, DetaiLiaison);
        driver.Send(new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "schedule", Data: Valid()));
        driver.Send(new CompleteTask(driver.OpenBookmark("again").Id, OfficeXie, "redo"));

        driver.Send(new CompleteTask(driver.OpenBookmark("agenda").Id, OfficeXie, "decline"));

        var record = driver.State.Variables["agenda"]!.AsObject();
        Assert.Equal("decline", record["outcome"]!.GetValue<string>());
        Assert.False(record.ContainsKey("data"));
    }
}
