using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

public sealed class NotifyActivityTests
{
    [Fact]
    public void Each_recipient_gets_one_notification_with_a_unique_key()
    {
        var driver = InstanceDriver.Started(Notifying("""{ "role": "committee-member" }"""), DetaiLiaison);

        var notifications = driver.LastEffects.OfType<NotificationRequested>().ToList();
        Assert.Equal(CommitteeMembers, notifications.Select(n => n.RecipientId));
        Assert.Equal(notifications.Count, notifications.Select(n => n.Key).Distinct().Count());
        Assert.All(notifications, n => Assert.Equal("consultation-opened", n.Template));
        Assert.All(notifications, n => Assert.Equal("请审阅", n.Data["message.zh-CN"]!.GetValue<string>()));
        Assert.Equal(14, Assert.Single(driver.Journal("NotificationsQueued"))["recipients"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{ "initiator": true }""", DetaiLiaison)]
    [InlineData("""{ "unit": "submitting" }""", DetaiLiaison)]
    [InlineData("""{ "member": "p-member-li" }""", MemberLi)]
    public void A_selector_of_one_person_sends_one_notification(string recipients, string expected)
    {
        var driver = InstanceDriver.Started(Notifying(recipients), DetaiLiaison);

        Assert.Equal(expected, Assert.Single(driver.LastEffects.OfType<NotificationRequested>()).RecipientId);
    }

    [Fact]
    public void Notifying_again_later_uses_new_keys()
    {
        var driver = InstanceDriver.Started(Notifying("""{ "role": "office" }"""), DetaiLiaison);

        driver.Send(new CompleteTask(driver.OpenBookmark("review").Id, OfficeXie, "again"));

        var keys = driver.EffectsOf<NotificationRequested>().Select(n => n.Key).ToList();
        Assert.Equal(4, keys.Count);
        Assert.Equal(keys, keys.Distinct());
    }

    private static WorkflowDefinition Notifying(string recipients) => TestDefinitions.Flow(
        $$"""
        { "id": "tell", "type": "notify", "recipients": {{recipients}}, "template": "consultation-opened",
          "message": { "zh-CN": "请审阅", "en": "Please review" } },
        { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "again" }, { "name": "finish" } ] },
        { "id": "finish", "type": "end", "result": "done" }
        """,
        """
        { "from": "tell", "to": "review" },
        { "from": "review", "outcome": "again", "to": "tell" },
        { "from": "review", "outcome": "finish", "to": "finish" }
        """);
}
