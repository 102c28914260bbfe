using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>Comments on a running instance: by its participants only, journaled and handed to the store.</summary>
public sealed class CommentTests
{
    /// <summary>Office task first; committee members may comment by role.</summary>
    private static readonly Engine.Definitions.WorkflowDefinition Definition = Engine.Definitions.DefinitionReader.Read("commented.json", """
        {
          "id": "commented", "version": 1, "name": { "zh-CN": "议题", "en": "Item" },
          "commentableBy": ["committee-member"],
          "start": "review",
          "activities": [
            { "id": "review", "type": "humanTask", "assignee": { "role": "office" }, "outcomes": [ { "name": "ok" } ] },
            { "id": "end", "type": "end", "result": "done" }
          ],
          "transitions": [ { "from": "review", "outcome": "ok", "to": "end" } ]
        }
        """);

    [Theory]
    [InlineData(DetaiLiaison)] // the initiator
    [InlineData(OfficeXie)]    // the open task is for the office
    [InlineData(MemberLi)]     // commentableBy: committee-member
    public void A_participant_comments_and_the_comment_is_stored_and_journaled(string actor)
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);

        var effects = driver.Send(new AddComment(actor, "  建议增加夜间照明。 "));

        var comment = Assert.Single(effects.OfType<CommentRecorded>());
        Assert.Equal((actor, "建议增加夜间照明。", (string?)null), (comment.ActorId, comment.Text, comment.BookmarkId));
        Assert.Equal(comment.CommentId, Assert.Single(driver.Journal("CommentAdded"))["comment"]!.GetValue<string>());
        Assert.Equal(InstanceStatus.Running, driver.State.Status);
    }

    [Theory]
    [InlineData(Admin)]
    [InlineData(ShoppingCentreLiaison)]
    [InlineData("p-nobody")]
    public void Someone_who_takes_no_part_cannot_comment(string actor) =>
        InstanceDriver.Started(Definition, DetaiLiaison).Refuse(new AddComment(actor, "路过"), RefusalCode.NotAllowed);

    [Theory]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_comment_needs_text(string? text)
    {
        var refusal = InstanceDriver.Started(Definition, DetaiLiaison).Refuse(new AddComment(MemberLi, text!), RefusalCode.InvalidInput);

        Assert.Contains("text", refusal.FieldErrors!.Keys);
    }

    [Fact]
    public void A_comment_longer_than_the_limit_is_refused() =>
        InstanceDriver.Started(Definition, DetaiLiaison).Refuse(new AddComment(MemberLi, new string('议', AddComment.MaxLength + 1)), RefusalCode.InvalidInput);

    [Fact]
    public void A_comment_on_a_step_needs_that_step_open()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);
        var task = driver.OpenBookmark("review").Id;
        driver.Send(new AddComment(MemberLi, "同意办公室意见", task));
        Assert.Equal(task, driver.EffectsOf<CommentRecorded>().Single().BookmarkId);

        driver.Refuse(new AddComment(MemberLi, "补充", "review#9"), RefusalCode.NotFound);
        driver.Send(new CompleteTask(task, OfficeXie, "ok"));
        driver.Refuse(new AddComment(MemberLi, "补充"), RefusalCode.InstanceEnded);
    }

    [Fact]
    public void Two_comments_get_two_ids()
    {
        var driver = InstanceDriver.Started(Definition, DetaiLiaison);

        driver.Send(new AddComment(MemberLi, "一"));
        driver.Send(new AddComment(MemberLi, "二"));

        Assert.Equal(2, driver.EffectsOf<CommentRecorded>().Select(c => c.CommentId).Distinct().Count());
    }
}
