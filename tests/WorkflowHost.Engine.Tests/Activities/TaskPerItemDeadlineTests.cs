using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using WorkflowHost.Engine.Time;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>
/// Moving the deadline of one follow-up action (督办): only whom the definition allows (the secretary unless it says
/// otherwise), with a reason, later than now; the item's reminders and escalations are laid again for the new date.
/// </summary>
public sealed class TaskPerItemDeadlineTests
{
    private const string PoliceLiaison = "p-liaison-ma";

    private static WorkflowDefinition Definition(string extendableBy) => TestDefinitions.Flow(
        $$"""
        { "id": "resolve", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "record" } ],
          "fields": [ { "name": "actions", "type": "list", "label": { "zh-CN": "事项", "en": "Actions" }, "items": [
            { "name": "unit", "type": "unit", "required": true, "label": { "zh-CN": "单位", "en": "Unit" } },
            { "name": "description", "type": "text", "required": true, "label": { "zh-CN": "事项", "en": "Action" } },
            { "name": "dueDate", "type": "date", "required": true, "label": { "zh-CN": "时限", "en": "Due" } } ] } ] },
        { "id": "follow-up", "type": "taskPerItem", "items": "activities.resolve.data.actions", "assignUnit": "item.unit",
          "dueDate": "item.dueDate", "title": "item.description", {{extendableBy}}
          "remind": [ { "before": { "workingDays": 2 } } ],
          "escalate": [ { "at": "deadline", "notify": { "role": "secretary" } } ],
          "closableBy": { "role": "secretary" } },
        { "id": "completed", "type": "end", "result": "completed" },
        { "id": "closed", "type": "end", "result": "closed" }
        """,
        """
        { "from": "resolve", "outcome": "record", "to": "follow-up" },
        { "from": "follow-up", "outcome": "done", "to": "completed" },
        { "from": "follow-up", "outcome": "closed", "to": "closed" }
        """);

    /// <summary>One action for the police station, due Friday 13 March 2026.</summary>
    private static (InstanceDriver Driver, string Item, string Supervision) WithOneAction(string extendableBy = "")
    {
        var driver = InstanceDriver.Started(Definition(extendableBy), DetaiLiaison);
        driver.Send(new CompleteTask(driver.OpenBookmark("resolve").Id, Secretary, "record", Data: new JsonObject
        {
            ["actions"] = new JsonArray(new JsonObject { ["unit"] = "unit-xinhua-police-station", ["description"] = "夜间巡逻", ["dueDate"] = "2026-03-13" }),
        }));
        var supervision = driver.State.Variables["follow-up"]!["supervision"]!.GetValue<string>();
        var item = driver.State.Bookmarks.Single(b => b.ActivityId == "follow-up" && b.Id != supervision).Id;
        return (driver, item, supervision);
    }

    private static ExtendDeadline ByFiveDays(string bookmark, string actor, string reason = "需协调交警部门") =>
        new(bookmark, actor, reason, By: new DurationSpec { WorkingDays = 5 });

    [Fact]
    public void The_secretary_moves_an_items_deadline_and_its_reminders_and_escalations_are_laid_again()
    {
        var (driver, item, _) = WithOneAction();

        var effects = driver.Send(ByFiveDays(item, Secretary));

        var due = new DateTimeOffset(2026, 3, 20, 17, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal(due, driver.State.FindBookmark(item)!.DueAt);
        Assert.Contains(new DeadlineMoved(item, due), effects);
        Assert.Equal([$"{item}:due", $"{item}:remind-0", $"{item}:escalate-0"], effects.OfType<TimerCancelled>().Select(t => t.TimerId));
        Assert.Equal(
            [($"{item}:due~2", due), ($"{item}:remind-0~2", due.AddDays(-2)), ($"{item}:escalate-0~2", due)],
            effects.OfType<TimerScheduled>().Select(t => (t.TimerId, t.DueAt)));
        Assert.Equal([PoliceLiaison], effects.OfType<NotificationRequested>().Select(n => n.RecipientId));
        Assert.Equal(due, driver.State.Variables["follow-up"]!["items"]![0]!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("需协调交警部门", Assert.Single(driver.Journal(JournalEventTypes.DeadlineExtended))["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_reminder_of_the_new_deadline_fires_and_the_old_one_is_gone()
    {
        var (driver, item, _) = WithOneAction();
        driver.Send(ByFiveDays(item, Secretary));

        driver.Refuse(new FireTimer($"{item}:remind-0"), RefusalCode.NotFound);
        var reminder = driver.Send(new FireTimer($"{item}:remind-0~2"));

        Assert.Equal([PoliceLiaison], reminder.OfType<NotificationRequested>().Select(n => n.RecipientId));
    }

    [Fact]
    public void An_overdue_item_is_no_longer_marked_overdue_once_extended()
    {
        var (driver, item, _) = WithOneAction();
        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 13, 17, 30, 0, TimeSpan.FromHours(8)));
        driver.Send(new FireTimer($"{item}:due"));
        Assert.True(driver.State.Variables["follow-up"]!["items"]![0]!["overdue"]!.GetValue<bool>());

        driver.Send(ByFiveDays(item, Secretary));

        Assert.Null(driver.State.Variables["follow-up"]!["items"]![0]!["overdue"]);
    }

    [Fact]
    public void Only_whom_the_definition_names_may_extend_with_a_reason_and_not_the_supervision_task()
    {
        var (driver, item, supervision) = WithOneAction();
        driver.Refuse(ByFiveDays(item, OfficeXie), RefusalCode.NotAllowed);
        driver.Refuse(ByFiveDays(item, PoliceLiaison), RefusalCode.NotAllowed);
        driver.Refuse(ByFiveDays(item, Secretary, reason: " "), RefusalCode.InvalidInput);
        driver.Refuse(new ExtendDeadline(item, Secretary, "提前", Until: new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8))), RefusalCode.InvalidInput);
        driver.Refuse(ByFiveDays(supervision, Secretary), RefusalCode.NotAllowed);

        var (office, officeItem, _) = WithOneAction("\"extendableBy\": { \"role\": \"office\" },");
        office.Refuse(ByFiveDays(officeItem, Secretary), RefusalCode.NotAllowed);
        office.Send(ByFiveDays(officeItem, OfficeXie));
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 17, 30, 0, TimeSpan.FromHours(8)), office.State.FindBookmark(officeItem)!.DueAt);
    }
}
