using System.Reflection;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>The runner works on a copy of the state; the copy must be whole and must share nothing that changes.</summary>
public sealed class StateCopyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_copy_serialises_to_the_same_json_as_its_original()
    {
        var original = Sample();

        var copy = StateCopy.Of(original);

        Assert.Equal(EngineJsonText.Of(original), EngineJsonText.Of(copy));
    }

    [Fact]
    public void The_sample_sets_every_property_so_a_new_one_cannot_be_left_out_of_the_copy()
    {
        var state = Sample();
        var bookmark = state.Bookmarks[0];

        // A property left at its default would serialise the same whether copied or not: the first test would not see it.
        Assert.Empty(DefaultProperties(state));
        Assert.Empty(DefaultProperties(bookmark));
        Assert.Empty(DefaultProperties(bookmark.Ballot!));
    }

    [Fact]
    public void Changing_the_copy_leaves_the_original_as_it_was()
    {
        var original = Sample();
        var before = EngineJsonText.Of(original);
        var copy = StateCopy.Of(original);

        copy.Status = InstanceStatus.Completed;
        copy.Input["nomineeName"] = "changed";
        copy.Variables["ballot"]!["round"] = 2;
        copy.ClosedBookmarks.Add("other#9");
        copy.JoinArrivals["join"] = 5;
        copy.CopiedTo.Add("p-street-qian");
        copy.CopiesWithdrawn.Add("p-member-li");
        copy.PreparedBy.Add(new PreparedReader("p-member-li", "p-office-lu"));
        copy.PreparedReadingEnded.Add("p-member-li");
        var bookmark = copy.Bookmarks[0];
        bookmark.DueAt = Now.AddDays(9);
        bookmark.TimerIds.Add("vote#1:reminder");
        var ballot = bookmark.Ballot!;
        ballot.Voters.Add("p-new");
        ballot.Recusals.Add(new RecusalRecord("p-new", "why", Automatic: false));
        ballot.Options.Add("abstain");
        ballot.Participants.Add("p-new");
        ballot.Totals["consent"] = 99;
        ballot.OpenVotes["p-new"] = new VoteRecord("object");
        ballot.AnonymousReasons.Add("new");
        ballot.Attendance.Add("p-new");
        copy.Bookmarks.Add(new Bookmark { Id = "x#10", ActivityId = "x", Kind = BookmarkKind.Timer });

        Assert.Equal(before, EngineJsonText.Of(original));
    }

    [Fact]
    public void Json_values_made_in_code_read_back_as_parsed_values_like_a_stored_state()
    {
        var original = Sample();
        original.Variables["counter"] = JsonValue.Create(3);

        var copy = StateCopy.Of(original);

        // A value parsed from text converts to any numeric type; one created from an int only to int. The copy holds
        // parsed values, as a state read from the database does.
        Assert.Equal(3L, copy.Variables["counter"]!.GetValue<long>());
        Assert.Throws<InvalidOperationException>(() => original.Variables["counter"]!.GetValue<long>());
    }

    private static IEnumerable<string> DefaultProperties(object value) =>
        value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Where(p => p.GetValue(value) switch
            {
                null => true,
                System.Collections.ICollection collection => collection.Count == 0,
                JsonObject json => json.Count == 0,
                var v when p.PropertyType.IsValueType => v.Equals(Activator.CreateInstance(p.PropertyType)),
                _ => false,
            })
            .Select(p => $"{value.GetType().Name}.{p.Name}");

    /// <summary>A state with every property set to something other than its default.</summary>
    private static InstanceState Sample() => new()
    {
        InstanceId = Guid.Parse("01939c1e-0000-7000-8000-000000000001"),
        CommunityId = "binhe",
        DefinitionId = "promotion-consultation",
        DefinitionHash = "abc",
        Initiator = new Participant("p-liaison-gao", "unit-housing-bureau"),
        Status = InstanceStatus.Withdrawn,
        Result = "withdrawn",
        Input = new JsonObject { ["nomineeName"] = "周立新", ["nested"] = new JsonObject { ["a"] = new JsonArray(1, 2) } },
        Variables = new JsonObject { ["ballot"] = new JsonObject { ["round"] = 1 } },
        Bookmarks =
        [
            new Bookmark
            {
                Id = "vote#2", ActivityId = "vote", Kind = BookmarkKind.Ballot, CreatedAt = Now, DueAt = Now.AddDays(5),
                Task = new TaskPayload(new Assignment(AssignmentKind.Role, "office"), ["done"]),
                Ballot = new BallotState
                {
                    Voters = ["p-member-li", "p-member-zhang", "p-member-zheng"],
                    Recusals = [new RecusalRecord("p-member-zheng", "works at the unit", Automatic: true)],
                    Options = ["consent", "object"],
                    Secret = true,
                    ClosesAt = Now.AddDays(5),
                    Participants = ["p-member-li"],
                    Totals = new() { ["consent"] = 1 },
                    OpenVotes = new() { ["p-member-li"] = new VoteRecord("consent", "good", "p-secretary-wang") },
                    AnonymousReasons = ["a reason"],
                    Attendance = ["p-member-li", "p-member-zhang"],
                    MeetingRecordedBy = "p-secretary-wang",
                    MeetingAttestation = "会议记录",
                },
                DeadlineGeneration = 2,
                TimerIds = ["vote#2:deadline:2"],
            },
        ],
        ClosedBookmarks = ["check#1"],
        JoinArrivals = new() { ["join"] = 1 },
        CopiedTo = ["p-member-li"],
        CopiesWithdrawn = ["p-street-qian"],
        PreparedBy = [new PreparedReader("p-member-zhang", "p-office-xie")],
        PreparedReadingEnded = ["p-office-lu"],
        NextSequence = 3,
        StartedAt = Now,
        UpdatedAt = Now.AddHours(1),
        EndedAt = Now.AddHours(2),
    };
}
