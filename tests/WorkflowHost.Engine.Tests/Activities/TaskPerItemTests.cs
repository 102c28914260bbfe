using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>One task per follow-up action (督办), each to its responsible unit with its due date, reminders and escalation.</summary>
public sealed class TaskPerItemTests
{
    private const string PoliceLiaison = "p-liaison-ma";
    private const string SchoolLiaison = "p-liaison-han";

    private static readonly WorkflowDefinition Definition = TestDefinitions.Flow(
        """
        { "id": "resolve", "type": "humanTask", "assignee": { "role": "secretary" }, "outcomes": [ { "name": "record" } ],
          "fields": [ { "name": "actions", "type": "list", "label": { "zh-CN": "事项", "en": "Actions" }, "items": [
            { "name": "unit", "type": "unit", "required": true, "label": { "zh-CN": "单位", "en": "Unit" } },
            { "name": "description", "type": "text", "required": true, "label": { "zh-CN": "事项", "en": "Action" } },
            { "name": "dueDate", "type": "date", "required": true, "label": { "zh-CN": "时限", "en": "Due" } } ] } ] },
        { "id": "follow-up", "type": "taskPerItem", "items": "activities.resolve.data.actions", "assignUnit": "item.unit",
          "dueDate": "item.dueDate", "title": "item.description",
          "remind": [ { "before": { "workingDays": 2 } } ],
          "escalate": [ { "at": "deadline", "notify": { "role": "secretary" } }, { "after": { "workingDays": 3 }, "notify": { "role": "street-committee" } } ],
          "fields": [ { "name": "report", "type": "multilineText", "required": true, "label": { "zh-CN": "情况", "en": "Report" } } ],
          "closableBy": { "role": "secretary" } },
        { "id": "completed", "type": "end", "result": "completed" },
        { "id": "closed", "type": "end", "result": "closed" }
        """,
        """
        { "from": "resolve", "outcome": "record", "to": "follow-up" },
        { "from": "follow-up", "outcome": "done", "to": "completed" },
        { "from": "follow-up", "outcome": "closed", "to": "closed" }
        """);

    private static JsonObject Action(string unit, string description, string due) => new() { ["unit"] = unit, ["description"] = description, ["dueDate"] = due };

    /// <summary>Two actions: the police station's due Friday 13 March, the school's due Friday 20 March 2026.</summary>
    private static InstanceDriver WithTwoActions()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);
        driver.Send(new CompleteTask(driver.OpenBookmark("resolve").Id, Secretary, "record", Data: new JsonObject
        {
            ["actions"] = new JsonArray(Action("unit-xinhua-police-station", "夜间巡逻", "2026-03-13"), Action("unit-xinhua-road-primary", "开放操场", "2026-03-20")),
        }));
        return driver;
    }

    private static List<Bookmark> ItemTasks(InstanceDriver driver) =>
        [.. driver.State.Bookmarks.Where(b => b.ActivityId == "follow-up" && !b.Task!.Outcomes.Contains("close"))];

    private static JsonObject Report(string text) => new() { ["report"] = text };

    [Fact]
    public void Each_item_opens_a_task_for_its_unit_due_at_the_end_of_its_day()
    {
        var driver = WithTwoActions();

        var opened = driver.LastEffects.OfType<TaskOpened>().Where(t => t.ActivityId == "follow-up").ToList();
        Assert.Equal(3, opened.Count); // the supervision task and two item tasks
        Assert.Equal(new Assignment(AssignmentKind.Role, "secretary"), opened[0].Assignee);
        Assert.Equal(
            [(new Assignment(AssignmentKind.Unit, "unit-xinhua-police-station"), new DateTimeOffset(2026, 3, 13, 17, 30, 0, TimeSpan.FromHours(8))),
             (new Assignment(AssignmentKind.Unit, "unit-xinhua-road-primary"), new DateTimeOffset(2026, 3, 20, 17, 30, 0, TimeSpan.FromHours(8)))],
            opened.Skip(1).Select(t => (t.Assignee, t.DueAt!.Value)));
        var items = driver.State.Variables["follow-up"]!["items"]!.AsArray();
        Assert.Equal(["夜间巡逻", "开放操场"], items.Select(i => i!["title"]!.GetValue<string>()));
        Assert.Equal(2, driver.State.Variables["follow-up"]!["open"]!.GetValue<int>());
    }

    [Fact]
    public void Reminder_and_escalation_timers_are_laid_around_each_due_date()
    {
        var driver = WithTwoActions();
        var first = ItemTasks(driver)[0].Id;

        var timers = driver.LastEffects.OfType<TimerScheduled>().Where(t => t.BookmarkId == first).ToDictionary(t => t.TimerId[(first.Length + 1)..], t => t.DueAt);

        Assert.Equal(new DateTimeOffset(2026, 3, 11, 17, 30, 0, TimeSpan.FromHours(8)), timers["remind-0"]);   // two working days before
        Assert.Equal(new DateTimeOffset(2026, 3, 13, 17, 30, 0, TimeSpan.FromHours(8)), timers["due"]);
        Assert.Equal(new DateTimeOffset(2026, 3, 13, 17, 30, 0, TimeSpan.FromHours(8)), timers["escalate-0"]);
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 17, 30, 0, TimeSpan.FromHours(8)), timers["escalate-1"]); // three working days after
    }

    [Fact]
    public void The_reminder_goes_to_the_unit_and_the_escalations_up_the_chain_each_once()
    {
        var driver = WithTwoActions();
        var first = ItemTasks(driver)[0].Id;

        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 11, 17, 30, 0, TimeSpan.FromHours(8)));
        var reminder = driver.Send(new FireTimer($"{first}:remind-0"));
        Assert.Equal([PoliceLiaison], reminder.OfType<NotificationRequested>().Select(n => n.RecipientId));

        driver.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 13, 17, 30, 0, TimeSpan.FromHours(8)));
        driver.Send(new FireTimer($"{first}:due"));
        var atDeadline = driver.Send(new FireTimer($"{first}:escalate-0"));
        Assert.Equal([Secretary], atDeadline.OfType<NotificationRequested>().Select(n => n.RecipientId));
        var later = driver.Send(new FireTimer($"{first}:escalate-1"));
        Assert.Equal(["p-street-qian"], later.OfType<NotificationRequested>().Select(n => n.RecipientId));

        Assert.True(driver.State.Variables["follow-up"]!["items"]![0]!["overdue"]!.GetValue<bool>());
        Assert.True(driver.IsOpen("follow-up")); // overdue never completes a task
        driver.Refuse(new FireTimer($"{first}:remind-0"), RefusalCode.NotFound);
        Assert.Equal(3, driver.EffectsOf<NotificationRequested>().Select(n => n.Key).Distinct().Count());
    }

    [Fact]
    public void Only_the_units_liaison_completes_its_task_with_a_report()
    {
        var driver = WithTwoActions();
        var first = ItemTasks(driver)[0].Id;

        driver.Refuse(new CompleteTask(first, SchoolLiaison, "done", Data: Report("已完成")), RefusalCode.NotAllowed);
        driver.Refuse(new CompleteTask(first, PoliceLiaison, "done"), RefusalCode.InvalidInput);
        driver.Send(new CompleteTask(first, PoliceLiaison, "done", Data: Report("每晚两次巡逻")));

        var item = driver.State.Variables["follow-up"]!["items"]![0]!;
        Assert.Equal(("done", PoliceLiaison, "每晚两次巡逻"), (item["status"]!.GetValue<string>(), item["completedBy"]!.GetValue<string>(), item["data"]!["report"]!.GetValue<string>()));
        Assert.Equal(InstanceStatus.Running, driver.State.Status);
    }

    [Fact]
    public void When_every_item_is_done_the_activity_ends_with_done()
    {
        var driver = WithTwoActions();
        var tasks = ItemTasks(driver);

        driver.Send(new CompleteTask(tasks[1].Id, SchoolLiaison, "done", Data: Report("周末开放")));
        var effects = driver.Send(new CompleteTask(tasks[0].Id, PoliceLiaison, "done", Data: Report("每晚巡逻")));

        Assert.Equal((InstanceStatus.Completed, "completed"), (driver.State.Status, driver.State.Result));
        Assert.Contains(effects, e => e is TaskClosed { Reason: CloseReason.Decided } closed && closed.BookmarkId == driver.State.Variables["follow-up"]!["supervision"]!.GetValue<string>());
        Assert.Equal(2, driver.State.Variables["follow-up"]!["done"]!.GetValue<int>());
    }

    [Fact]
    public void The_secretary_closes_the_rest_early_only_with_a_reason()
    {
        var driver = WithTwoActions();
        var tasks = ItemTasks(driver);
        driver.Send(new CompleteTask(tasks[0].Id, PoliceLiaison, "done", Data: Report("每晚巡逻")));
        var supervision = driver.State.Variables["follow-up"]!["supervision"]!.GetValue<string>();

        driver.Refuse(new CompleteTask(supervision, Secretary, "close"), RefusalCode.InvalidInput);
        driver.Refuse(new CompleteTask(supervision, OfficeXie, "close", "不再需要"), RefusalCode.NotAllowed);
        var effects = driver.Send(new CompleteTask(supervision, Secretary, "close", "学校操场改造，事项取消"));

        Assert.Equal("closed", driver.State.Result);
        Assert.Contains(new TaskClosed(tasks[1].Id, CloseReason.Decided), effects);
        Assert.Contains(new TimerCancelled($"{tasks[1].Id}:due"), effects);
        var record = driver.State.Variables["follow-up"]!;
        Assert.Equal(["done", "closed"], record["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()));
        Assert.Equal("学校操场改造，事项取消", record["reason"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_list_ends_with_done_at_once()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);

        driver.Send(new CompleteTask(driver.OpenBookmark("resolve").Id, Secretary, "record", Data: new JsonObject { ["actions"] = new JsonArray() }));

        Assert.Equal("completed", driver.State.Result);
    }

    [Fact]
    public void Withdrawal_closes_every_item_task_and_its_timers()
    {
        var driver = WithTwoActions();

        var effects = driver.Send(new Withdraw(DetaiLiaison, "议题撤回"));

        Assert.Equal(3, effects.OfType<TaskClosed>().Count(c => c.Reason == CloseReason.Withdrawn));
        Assert.Equal(8, effects.OfType<TimerCancelled>().Count()); // due, remind, two escalations for each item
    }
}
