using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Ballots;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>
/// A state kept after it was written must, once made ready (<see cref="WrittenState.AsParsed"/>), behave as the state
/// parsed from the bytes written: each part where the object left by a step and its parse differ, changed the same way
/// on both, must serialise the same and read the same.
/// </summary>
public sealed class WrittenStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_dictionary_that_lost_an_entry_takes_the_next_one_at_its_end_as_a_parsed_one_does()
    {
        var written = Written();
        written.JoinArrivals.Remove("join-a");
        var (kept, parsed) = Both(written);

        kept.JoinArrivals["join-c"] = 1;
        parsed.JoinArrivals["join-c"] = 1;
        kept.Bookmarks[0].Ballot!.Totals["late"] = 1;
        parsed.Bookmarks[0].Ballot!.Totals["late"] = 1;

        Assert.Equal(Text(parsed), Text(kept));
    }

    [Fact]
    public void Json_values_made_in_code_read_as_parsed_values()
    {
        var written = Written();
        written.Variables["counter"] = JsonValue.Create(3);
        written.Variables["issuedAt"] = JsonValue.Create(Now.ToOffset(TimeSpan.FromHours(8)));
        var (kept, parsed) = Both(written);

        Assert.Equal(parsed.Variables["counter"]!.GetValue<long>(), kept.Variables["counter"]!.GetValue<long>());
        Assert.Equal(parsed.Variables["issuedAt"]!.GetValue<string>(), kept.Variables["issuedAt"]!.GetValue<string>());
        Assert.Equal(Text(parsed), Text(kept));
    }

    [Fact]
    public void Json_objects_made_in_code_find_their_names_without_regard_to_case_as_parsed_ones_do()
    {
        var written = Written();
        written.Variables["review"] = new JsonObject { ["Outcome"] = "approve" };
        written.Input = new JsonObject { ["NomineeName"] = "周立新" };
        var (kept, parsed) = Both(written);

        Assert.Equal(parsed.Variables["review"]!["outcome"]?.GetValue<string>(), kept.Variables["review"]!["outcome"]?.GetValue<string>());
        Assert.Equal(parsed.Input["nomineename"]?.GetValue<string>(), kept.Input["nomineename"]?.GetValue<string>());
        Assert.Equal("approve", kept.Variables["review"]!["outcome"]?.GetValue<string>());
    }

    [Fact]
    public void Random_changes_on_a_kept_state_and_on_its_parse_serialise_alike()
    {
        var random = new Random(170);
        for (var round = 0; round < 300; round++)
        {
            var written = Written();
            for (var i = 0; i < 12; i++)
            {
                Change(written, random, i);
            }

            var (kept, parsed) = Both(written);
            for (var i = 0; i < 12; i++)
            {
                var seed = random.Next();
                Change(kept, new Random(seed), 100 + i);
                Change(parsed, new Random(seed), 100 + i);
            }

            Assert.Equal(Text(parsed), Text(kept));
        }
    }

    [Fact]
    public void Objects_whose_text_did_not_change_read_as_parsed_again_whatever_the_step_did_to_them()
    {
        var written = Written();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(written, EngineJson.State);
        var kept = WrittenState.AsParsed(written, bytes);

        // The next step puts values made in code where parsed ones were, with the same text, and leaves a new member
        // object without case-insensitive names: the bytes it writes hold the very text of the first parse.
        kept.Variables["ballot"]!["round"] = JsonValue.Create(1);
        kept.Input = new JsonObject { ["nomineeName"] = "周立新" };
        var again = JsonSerializer.SerializeToUtf8Bytes(kept, EngineJson.State);
        Assert.Equal(bytes, again);
        var (keptAgain, parsed) = (WrittenState.AsParsed(kept, again), JsonSerializer.Deserialize(again, EngineJson.State)!);

        // A value made from an int does not read as a decimal; a parsed one does.
        Assert.True(parsed.Variables["ballot"]!["round"]!.AsValue().TryGetValue<decimal>(out _));
        Assert.True(keptAgain.Variables["ballot"]!["round"]!.AsValue().TryGetValue<decimal>(out var round));
        Assert.Equal(1m, round);
        Assert.Equal("周立新", keptAgain.Input["NOMINEENAME"]?.GetValue<string>());
    }

    [Fact]
    public void Objects_whose_text_did_not_change_are_not_parsed_again()
    {
        var written = Written();
        for (var i = 0; i < 40; i++)
        {
            written.Variables["record-" + i] = new JsonObject { ["outcome"] = "consent", ["number"] = $"滨和〔2026〕{i}号", ["at"] = Now };
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(written, EngineJson.State);
        var kept = WrittenState.AsParsed(written, bytes);
        kept = WrittenState.AsParsed(kept, bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        kept = WrittenState.AsParsed(kept, bytes);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A parse of the objects' text allocates its length twice over (a copy and the document's index), here some 10 KB;
        // made over the earlier parse, the two objects cost about a hundred bytes.
        Assert.True(bytes.Length > 4_000, $"{bytes.Length} bytes written");
        Assert.True(allocated < 600, $"{allocated} bytes allocated to make ready a state of {bytes.Length} bytes whose objects did not change");
        Assert.Equal("consent", kept.Variables["record-39"]!["outcome"]!.GetValue<string>());
    }

    /// <summary>One of the changes steps make: entries added and removed, values made in code, lists grown and shrunk.</summary>
    private static void Change(InstanceState state, Random random, int i)
    {
        var ballot = state.Bookmarks[0].Ballot!;
        var key = "k" + random.Next(6);
        switch (random.Next(8))
        {
            case 0: state.JoinArrivals[key] = i; break;
            case 1: state.JoinArrivals.Remove(key); break;
            case 2: ballot.OpenVotes[key] = new VoteRecord("consent"); break;
            case 3: ballot.Totals[key] = ballot.TotalFor(key) + 1; break;
            case 4: state.Variables[key] = random.Next(2) == 0 ? JsonValue.Create(i * 1.5) : new JsonObject { ["At"] = Now.AddHours(i), ["N"] = i }; break;
            case 5: state.Variables.Remove(key); break;
            case 6: state.ClosedBookmarks.Add(key); break;
            default: state.Variables[key] = (state.Variables[key] as JsonObject)?["n"]?.GetValue<int>() is int n ? n + 1 : i; break;
        }
    }

    /// <summary>The written state made ready, and a parse of the same bytes.</summary>
    private static (InstanceState Kept, InstanceState Parsed) Both(InstanceState written)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(written, EngineJson.State);
        var parsed = JsonSerializer.Deserialize(bytes, EngineJson.State)!;
        var kept = WrittenState.AsParsed(written, bytes);
        Assert.Equal(Text(parsed), Text(kept));
        return (kept, parsed);
    }

    private static string Text(InstanceState state) => JsonSerializer.Serialize(state, EngineJson.State);

    private static InstanceState Written() => new()
    {
        InstanceId = Guid.Parse("01939c1e-0000-7000-8000-000000000170"),
        CommunityId = "binhe",
        DefinitionId = "promotion-consultation",
        DefinitionHash = "abc",
        Initiator = new Participant("p-liaison-gao", "unit-housing-bureau"),
        Input = new JsonObject { ["nomineeName"] = "周立新" },
        Variables = new JsonObject { ["ballot"] = new JsonObject { ["round"] = 1 } },
        JoinArrivals = new() { ["join-a"] = 1, ["join-b"] = 2 },
        Bookmarks =
        [
            new Bookmark
            {
                Id = "vote#2", ActivityId = "vote", Kind = BookmarkKind.Ballot, CreatedAt = Now,
                Ballot = new BallotState { Voters = ["p-member-li"], Options = ["consent", "object"], Totals = new() { ["consent"] = 0, ["object"] = 0 } },
            },
        ],
        StartedAt = Now,
        UpdatedAt = Now,
    };
}
