using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using static WorkflowHost.Engine.Tests.Reminders.DeadlineHarness;

namespace WorkflowHost.Engine.Tests.Reminders;

/// <summary>Reminders, escalations and deadline extensions, run on fake time over the shipped working-day calendar.</summary>
public sealed class ReminderTests
{
    private static string Ballot(string deadline, string extra = "") => $$"""
        { "id": "t", "version": 1, "name": { "zh-CN": "测试", "en": "Test" }, "start": "vote",
          "activities": [
            { "id": "vote", "type": "ballot", "name": { "zh-CN": "表决", "en": "Vote" }, "voters": { "role": "committee-member" },
              "recuseSubmittingUnit": false, {{deadline}} {{extra}} },
            { "id": "yes", "type": "end", "result": "passed" },
            { "id": "no", "type": "end", "result": "not-passed" } ],
          "transitions": [
            { "from": "vote", "outcome": "passed", "to": "yes" },
            { "from": "vote", "outcome": "rejected", "to": "no" },
            { "from": "vote", "outcome": "no-quorum", "to": "no" } ] }
        """;

    private static string Task(string due, string extra = "") => $$"""
        { "id": "t", "version": 1, "name": { "zh-CN": "测试", "en": "Test" }, "start": "check",
          "activities": [
            { "id": "check", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ], "due": {{due}} {{extra}} },
            { "id": "end", "type": "end", "result": "done" } ],
          "transitions": [ { "from": "check", "outcome": "ok", "to": "end" } ] }
        """;

    private static Dictionary<string, DateTimeOffset> Steps(DeadlineHarness run) =>
        run.PendingTimers.ToDictionary(t => Deadlines.StepOf(t.Key), t => t.Value);

    [Fact]
    public void Reminder_and_escalation_times_skip_the_National_Day_holiday_and_count_the_working_Saturday()
    {
        // Monday 28 September 2026; 1–7 October are off, Saturday 10 October is a working day (调休).
        var run = new DeadlineHarness(Ballot("\"due\": { \"workingDays\": 3 }"), Local(2026, 9, 28, 10));
        run.Start();

        var steps = Steps(run);
        Assert.Equal(Local(2026, 10, 8, 17, 30), steps["due"]);          // Tue 29, Wed 30, (holiday), Thu 8
        Assert.Equal(Local(2026, 9, 30, 17, 30), steps["remind-0"]);     // one working day before: back across the holiday
        Assert.Equal(Local(2026, 10, 8, 17, 30), steps["escalate-0"]);   // the secretary, at the deadline
        Assert.Equal(Local(2026, 10, 10, 17, 30), steps["escalate-1"]);  // Fri 9, Sat 10 (working): the street committee
    }

    [Fact]
    public void A_reminder_falls_on_a_working_weekend_day_when_the_deadline_follows_it()
    {
        // Friday 9 October 2026 10:00, due in two working days: Saturday 10 (调休) and Monday 12.
        var run = new DeadlineHarness(Task("{ \"workingDays\": 2 }"), Local(2026, 10, 9, 10));
        run.Start();

        var steps = Steps(run);
        Assert.Equal(Local(2026, 10, 12, 17, 30), steps["due"]);
        Assert.Equal(Local(2026, 10, 10, 17, 30), steps["remind-0"]);
        Assert.Equal(Local(2026, 10, 14, 17, 30), steps["escalate-1"]);
    }

    [Fact]
    public void A_reminder_before_the_Spring_Festival_deadline_goes_back_over_the_holiday_and_its_working_Saturday()
    {
        // 2026: Saturday 14 February is a working day, 15–23 February are off. Opened Friday 13 February, due in 2 working days.
        var run = new DeadlineHarness(Task("{ \"workingDays\": 2 }"), Local(2026, 2, 13, 9));
        run.Start();

        var steps = Steps(run);
        Assert.Equal(Local(2026, 2, 24, 17, 30), steps["due"]);         // Sat 14, (holiday), Tue 24
        Assert.Equal(Local(2026, 2, 14, 17, 30), steps["remind-0"]);    // the working Saturday before the holiday
    }

    [Fact]
    public void The_escalation_chain_reminds_those_who_have_not_voted_then_alerts_the_secretary_then_the_street_committee()
    {
        var run = new DeadlineHarness(Ballot("\"due\": { \"workingDays\": 5 }"), Local(2026, 11, 27, 10)); // Friday
        run.Start();
        var ballot = run.OpenBookmark(BookmarkKind.Ballot);
        run.Accept(new CastVote(ballot, "p-m1", "consent"));
        run.Accept(new CastVote(ballot, "p-m2", "object"));

        run.AdvanceTo(Local(2026, 12, 20, 0));

        var reminders = run.Notifications.Where(n => n.Notification.Template == DeadlineTemplates.Reminder).ToList();
        Assert.Equal(["p-m3", "p-m4", Secretary], reminders.Select(n => n.Notification.RecipientId).Order(StringComparer.Ordinal));
        Assert.All(reminders, n => Assert.Equal(Local(2026, 12, 3, 17, 30), n.At));

        var escalations = run.Notifications.Where(n => n.Notification.Template == DeadlineTemplates.Escalation).ToList();
        Assert.Equal(2, escalations.Count);
        Assert.Equal((Secretary, Local(2026, 12, 4, 17, 30)), (escalations[0].Notification.RecipientId, escalations[0].At));
        Assert.Equal((Street, Local(2026, 12, 8, 17, 30)), (escalations[1].Notification.RecipientId, escalations[1].At));
        Assert.Equal(3, escalations[0].Notification.Data["notActed"]!.GetValue<int>());

        // Overdue is not a decision: the ballot still waits for votes, and nothing is left to fire.
        Assert.Equal(InstanceStatus.Running, run.State.Status);
        Assert.Single(run.State.Bookmarks);
        Assert.Contains(run.Journal, j => j.Type == "BallotOverdue");
        Assert.Empty(run.PendingTimers);

        // Each notification has its own key: one per recipient and step.
        Assert.Equal(run.Notifications.Count, run.Notifications.Select(n => n.Notification.Key).Distinct().Count());
    }

    [Fact]
    public void A_member_who_voted_gets_no_reminder_and_a_fired_timer_fires_only_once()
    {
        var run = new DeadlineHarness(Ballot("\"due\": { \"workingDays\": 5 }"), Local(2026, 11, 27, 10));
        run.Start();
        var ballot = run.OpenBookmark(BookmarkKind.Ballot);
        var remind = run.PendingTimers.Single(t => t.Key.EndsWith(":remind-0", StringComparison.Ordinal)).Key;
        run.AdvanceTo(Local(2026, 12, 3, 12));
        run.Accept(new CastVote(ballot, "p-m4", "consent"));

        run.AdvanceTo(Local(2026, 12, 3, 18));
        var again = run.Resume(new FireTimer(remind));

        Assert.Equal(RefusalCode.NotFound, again.Refusal?.Code);
        Assert.DoesNotContain(run.NotificationsTo("p-m4"), n => n.Template == DeadlineTemplates.Reminder);
        Assert.Single(run.NotificationsTo("p-m3"), n => n.Template == DeadlineTemplates.Reminder);
    }

    [Fact]
    public void Nothing_is_sent_after_the_ballot_closed()
    {
        var run = new DeadlineHarness(Ballot("\"due\": { \"workingDays\": 5 }"), Local(2026, 11, 27, 10));
        run.Start();
        var ballot = run.OpenBookmark(BookmarkKind.Ballot);
        var timers = run.PendingTimers.Keys.ToList();
        foreach (var member in new[] { "p-m1", "p-m2", "p-m3" })
        {
            run.Accept(new CastVote(ballot, member, "consent"));
        }

        Assert.Equal("passed", run.State.Result);
        Assert.Equal(timers.Order(StringComparer.Ordinal), run.CancelledTimers.Order(StringComparer.Ordinal));
        Assert.Empty(run.PendingTimers);

        // A job that was already on its way when the ballot closed is refused and sends nothing.
        var late = run.Resume(new FireTimer(timers[0]));
        Assert.Equal(RefusalCode.InstanceEnded, late.Refusal?.Code);
        Assert.Empty(run.Notifications);
    }

    [Fact]
    public void Nothing_is_sent_after_the_task_was_completed_or_the_instance_withdrawn()
    {
        var completed = new DeadlineHarness(Task("{ \"workingDays\": 2 }"), Local(2026, 11, 27, 10));
        completed.Start();
        var task = completed.OpenBookmark(BookmarkKind.Task);
        completed.Accept(new CompleteTask(task, Office, "ok"));
        completed.AdvanceTo(Local(2026, 12, 31, 0));
        Assert.Empty(completed.PendingTimers);
        Assert.Empty(completed.Notifications);

        var withdrawn = new DeadlineHarness(Task("{ \"workingDays\": 2 }"), Local(2026, 11, 27, 10));
        withdrawn.Start();
        var pending = withdrawn.PendingTimers.Keys.ToList();
        withdrawn.Accept(new Withdraw(Liaison, "no longer needed"));
        Assert.Equal(pending.Order(StringComparer.Ordinal), withdrawn.CancelledTimers.Order(StringComparer.Ordinal));
        Assert.Equal(RefusalCode.InstanceEnded, withdrawn.Resume(new FireTimer(pending[0])).Refusal?.Code);
        Assert.Empty(withdrawn.Notifications);
    }

    [Fact]
    public void An_overdue_task_alerts_the_secretary_and_stays_open()
    {
        var run = new DeadlineHarness(Task("{ \"workingDays\": 1 }"), Local(2026, 11, 27, 10)); // due Monday 30 November
        run.Start();
        run.AdvanceTo(Local(2026, 12, 1, 9));

        Assert.Single(run.NotificationsTo(Office), n => n.Template == DeadlineTemplates.Reminder);
        Assert.Single(run.NotificationsTo(Secretary), n => n.Template == DeadlineTemplates.Escalation);
        Assert.Empty(run.NotificationsTo(Street));
        Assert.Contains(run.Journal, j => j.Type == "TaskOverdue");
        Assert.Single(run.State.Bookmarks);

        run.AdvanceTo(Local(2026, 12, 2, 17, 31));
        Assert.Single(run.NotificationsTo(Street), n => n.Template == DeadlineTemplates.Escalation);
    }

    [Fact]
    public void Extending_a_deadline_moves_the_pending_reminders_and_escalations_and_is_journaled()
    {
        var run = new DeadlineHarness(Ballot("\"due\": { \"workingDays\": 5 }"), Local(2026, 11, 27, 10));
        run.Start();
        var ballot = run.OpenBookmark(BookmarkKind.Ballot);
        run.Accept(new CastVote(ballot, "p-m1", "consent"));
        run.AdvanceTo(Local(2026, 12, 4, 9)); // the reminder of Thursday 3 December went out
        var before = run.PendingTimers.Keys.ToList();

        Assert.Equal(RefusalCode.NotAllowed, run.Resume(new ExtendDeadline(ballot, "p-m2", "busy", new DurationSpec { WorkingDays = 3 })).Refusal?.Code);
        Assert.Equal(RefusalCode.InvalidInput, run.Resume(new ExtendDeadline(ballot, Secretary, " ", new DurationSpec { WorkingDays = 3 })).Refusal?.Code);
        Assert.Equal(RefusalCode.InvalidInput, run.Resume(new ExtendDeadline(ballot, Secretary, "earlier", Until: Local(2026, 12, 4, 12))).Refusal?.Code);

        run.Accept(new ExtendDeadline(ballot, Secretary, "members away on a training course", new DurationSpec { WorkingDays = 3 }));

        Assert.Equal(before.Order(StringComparer.Ordinal), run.CancelledTimers.Order(StringComparer.Ordinal));
        Assert.All(run.PendingTimers.Keys, id => Assert.EndsWith("~2", id, StringComparison.Ordinal));
        var steps = Steps(run);
        Assert.Equal(Local(2026, 12, 9, 17, 30), steps["due"]);         // Fri 4 + 3 working days: Mon 7, Tue 8, Wed 9
        Assert.Equal(Local(2026, 12, 8, 17, 30), steps["remind-0"]);
        Assert.Equal(Local(2026, 12, 9, 17, 30), steps["escalate-0"]);
        Assert.Equal(Local(2026, 12, 11, 17, 30), steps["escalate-1"]);
        Assert.Equal(Local(2026, 12, 9, 17, 30), run.State.FindBookmark(ballot)!.DueAt);
        Assert.Contains(run.LastEffects, e => e is DeadlineMoved moved && moved.DueAt == Local(2026, 12, 9, 17, 30));
        var journal = Assert.Single(run.Journal, j => j.Type == "DeadlineExtended");
        Assert.Equal("members away on a training course", journal.Data["reason"]!.GetValue<string>());
        Assert.Equal(Secretary, journal.Data["by"]!.GetValue<string>());

        // Those who have not voted hear of the new deadline; then the schedule runs again from it, under new keys.
        Assert.Equal(4, run.Notifications.Count(n => n.Notification.Template == DeadlineTemplates.Extended));
        run.AdvanceTo(Local(2026, 12, 31, 0));
        Assert.Equal(2, run.NotificationsTo("p-m2").Count(n => n.Template == DeadlineTemplates.Reminder));
        Assert.Equal([Local(2026, 12, 9, 17, 30)], run.Notifications.Where(n => n.Notification.RecipientId == Secretary && n.Notification.Template == DeadlineTemplates.Escalation).Select(n => n.At));
        Assert.Equal(run.Notifications.Count, run.Notifications.Select(n => n.Notification.Key).Distinct().Count());
    }

    [Fact]
    public void A_ballot_that_closes_at_its_deadline_is_reminded_but_never_passes_on_time_and_does_not_escalate()
    {
        var run = new DeadlineHarness(Ballot("\"closesAfter\": { \"workingDays\": 2 }"), Local(2026, 11, 27, 10));
        run.Start();
        var ballot = run.OpenBookmark(BookmarkKind.Ballot);
        run.Accept(new CastVote(ballot, "p-m1", "consent"));
        run.Accept(new CastVote(ballot, "p-m2", "consent"));

        run.AdvanceTo(Local(2026, 12, 10, 0));

        Assert.Equal("not-passed", run.State.Result);
        Assert.Equal(3, run.Notifications.Count(n => n.Notification.Template == DeadlineTemplates.Reminder));
        Assert.DoesNotContain(run.Notifications, n => n.Notification.Template == DeadlineTemplates.Escalation);
    }

    [Fact]
    public void Declared_steps_replace_the_defaults_and_an_empty_list_turns_them_off()
    {
        var run = new DeadlineHarness(Task("{ \"workingDays\": 5 }", """
            , "remind": [ { "before": { "workingDays": 2 } }, { "before": { "hours": 2 } } ], "escalate": []
            """), Local(2026, 11, 27, 10));
        run.Start();

        var steps = Steps(run);
        Assert.Equal(["due", "remind-0", "remind-1"], steps.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Local(2026, 12, 2, 17, 30), steps["remind-0"]);
        Assert.Equal(Local(2026, 12, 4, 15, 30), steps["remind-1"]);
    }

    [Fact]
    public void A_short_deadline_in_seconds_leaves_out_reminders_that_would_precede_the_opening()
    {
        var run = new DeadlineHarness(Ballot("\"due\": { \"seconds\": 20 }", """, "remind": [ { "before": { "seconds": 10 } }, { "before": { "workingDays": 1 } } ]"""), Local(2026, 11, 27, 10));
        run.Start();

        var steps = Steps(run);
        Assert.Equal(["due", "escalate-0", "escalate-1", "remind-0"], steps.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Local(2026, 11, 27, 10) + TimeSpan.FromSeconds(10), steps["remind-0"]);
    }

    [Theory]
    [InlineData("\"due\": { \"workingDays\": 1 }, \"closesAfter\": { \"workingDays\": 2 }", "not both")]
    [InlineData("\"closesAfter\": { \"workingDays\": 2 }, \"escalate\": [ { \"at\": \"deadline\", \"notify\": { \"role\": \"secretary\" } } ]", "only a ballot with 'due' escalates")]
    [InlineData("\"remind\": [ { \"before\": { \"workingDays\": 1 } } ]", "reminders count back from a deadline")]
    [InlineData("\"due\": { \"workingDays\": 1 }, \"escalate\": [ { \"at\": \"noon\", \"notify\": { \"role\": \"secretary\" } } ]", "can only be")]
    [InlineData("\"due\": { \"workingDays\": 1 }, \"escalate\": [ { \"notify\": { \"role\": \"secretary\" } } ]", "either")]
    public void Inconsistent_deadline_declarations_are_refused_when_the_definition_is_read(string declaration, string reason)
    {
        var error = Assert.Throws<DefinitionException>(() => DefinitionReader.Read("bad.json", Ballot(declaration)));
        Assert.Contains(error.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }
}
