using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>The stimuli the API added: a comment is journaled and changes nothing else; the secretary moves a deadline.</summary>
public sealed class SecretaryStimuliTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    private static readonly WorkflowDefinition Definition = DefinitionReader.Read("vote.json", """
        {
          "id": "vote", "version": 1, "name": { "zh-CN": "表决", "en": "Vote" },
          "start": "ballot",
          "activities": [
            { "id": "ballot", "type": "ballot", "voters": { "role": "committee-member" }, "closesAfter": { "workingDays": 5 } },
            { "id": "yes", "type": "end", "result": "passed" },
            { "id": "no", "type": "end", "result": "not-passed" }
          ],
          "transitions": [
            { "from": "ballot", "outcome": "passed", "to": "yes" },
            { "from": "ballot", "outcome": "rejected", "to": "no" },
            { "from": "ballot", "outcome": "no-quorum", "to": "no" }
          ]
        }
        """);

    private static readonly ParticipantDirectory Directory = new(
    [
        new DirectoryPerson("secretary", null, new HashSet<string> { "secretary", "committee-member" }),
        new DirectoryPerson("member-a", null, new HashSet<string> { "committee-member" }),
        new DirectoryPerson("member-b", null, new HashSet<string> { "committee-member" }),
    ]);

    private static RunContext At(DateTimeOffset now) => new(now, Directory, WorkingCalendar.WeekdaysOnly());

    private static InstanceState Started()
    {
        var result = WorkflowRunner.Start(Definition, new StartInstance(Guid.NewGuid(), "c", "member-a", []), At(Now));
        Assert.True(result.Accepted, result.Refusal?.Message);
        return result.State!;
    }

    [Fact]
    public void The_secretary_moves_a_ballot_deadline_and_its_timer()
    {
        var state = Started();
        var bookmark = state.Bookmarks.Single();
        var oldDue = bookmark.DueAt!.Value;

        var result = WorkflowRunner.Resume(Definition, state, new ExtendDeadline(bookmark.Id, "secretary", "出差", By: new DurationSpec { WorkingDays = 2 }), At(Now));

        Assert.True(result.Accepted, result.Refusal?.Message);
        var moved = result.State!.Bookmarks.Single();
        Assert.True(moved.DueAt > oldDue);
        Assert.Equal(moved.DueAt, moved.Ballot!.ClosesAt);
        Assert.Contains(result.Effects, e => e is TimerCancelled { TimerId: var id } && id == $"{bookmark.Id}:deadline");
        // The deadline timer and the default reminder are laid again from the new deadline, under new ids.
        var scheduled = result.Effects.OfType<TimerScheduled>().ToList();
        Assert.Equal(moved.DueAt, Assert.Single(scheduled, t => t.Purpose == TimerPurpose.Deadline).DueAt);
        Assert.Equal(scheduled.Select(t => t.TimerId).Order(), moved.TimerIds.Order());
        Assert.Contains(result.Effects, e => e is DeadlineMoved m && m.DueAt == moved.DueAt);
        Assert.Contains(result.Effects, e => e is JournalEntry { Type: "DeadlineExtended" });
    }

    [Fact]
    public void Only_the_secretary_and_only_later()
    {
        var state = Started();
        var bookmark = state.Bookmarks.Single();

        Assert.Equal(RefusalCode.NotAllowed, WorkflowRunner.Resume(Definition, state, new ExtendDeadline(bookmark.Id, "member-b", "x", By: new DurationSpec { WorkingDays = 2 }), At(Now)).Refusal!.Code);
        var earlier = WorkflowRunner.Resume(Definition, state, new ExtendDeadline(bookmark.Id, "secretary", "x", Until: bookmark.DueAt!.Value.AddHours(-1)), At(Now));
        Assert.Equal(RefusalCode.InvalidInput, earlier.Refusal!.Code);
        Assert.True(earlier.Refusal.FieldErrors!.ContainsKey("until"));
        Assert.Equal(RefusalCode.NotFound, WorkflowRunner.Resume(Definition, state, new ExtendDeadline("ballot#99", "secretary", "x", By: new DurationSpec { WorkingDays = 1 }), At(Now)).Refusal!.Code);
    }

    [Fact]
    public void A_comment_is_journaled_and_changes_nothing_else()
    {
        var state = Started();
        var result = WorkflowRunner.Resume(Definition, state, new AddComment("member-b", "同意推荐。", state.Bookmarks.Single().Id), At(Now));

        Assert.True(result.Accepted);
        Assert.Equal("CommentAdded", Assert.Single(result.Effects.OfType<JournalEntry>()).Type);
        Assert.Single(result.Effects.OfType<CommentRecorded>());
        Assert.Equal(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(state.Bookmarks, EngineJson.Options))!.ToJsonString(),
            JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(result.State!.Bookmarks, EngineJson.Options))!.ToJsonString());
        Assert.Equal(RefusalCode.NotAllowed, WorkflowRunner.Resume(Definition, state, new AddComment("stranger", "?"), At(Now)).Refusal!.Code);
    }
}
