using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Runtime;

/// <summary>
/// The step reads and writes the state through <see cref="EngineJson.State"/> (source-generated, UTF-8; decision 163).
/// Stored states were written by the reflection serialiser of <see cref="EngineJson.Options"/>, and the ledger's SQL reads
/// them by path: the new path must write the same bytes for every state, and read every stored state to the same state.
/// </summary>
public sealed class StateJsonIdentityTests
{
    /// <summary>Characters the encoder treats differently: HTML-sensitive ones, quotes, controls, separators, non-BMP.</summary>
    private const string Awkward = "<同意> & \"引号\" 'a' \\ / \t\n\u0001 \u2028\u2029 \u00e9 \U0001F600 +";

    public static TheoryData<string> States() => [.. Named().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(States))]
    public void The_generated_serialiser_writes_the_reflection_serialisers_bytes(string name)
    {
        var state = Named().Single(s => s.Name == name).State;
        var reflection = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(state, EngineJson.Options));

        var generated = JsonSerializer.SerializeToUtf8Bytes(state, EngineJson.State);

        Assert.Equal(Encoding.UTF8.GetString(reflection), Encoding.UTF8.GetString(generated));
        Assert.True(reflection.AsSpan().SequenceEqual(generated));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void A_stored_state_read_as_utf8_by_the_generated_serialiser_writes_back_the_same_bytes(string name)
    {
        var stored = JsonSerializer.Serialize(Named().Single(s => s.Name == name).State, EngineJson.Options);
        var bytes = Encoding.UTF8.GetBytes(stored);

        var viaGenerated = JsonSerializer.Deserialize(bytes, EngineJson.State)!;
        var viaReflection = JsonSerializer.Deserialize<InstanceState>(stored, EngineJson.Options)!;

        Assert.Equal(stored, JsonSerializer.Serialize(viaReflection, EngineJson.Options));
        Assert.Equal(stored, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(viaGenerated, EngineJson.State)));
        Assert.Equal(stored, JsonSerializer.Serialize(viaGenerated, EngineJson.Options));
    }

    [Fact]
    public void The_generated_reader_keeps_the_dialects_leniency()
    {
        // Written by hand as an older host or an operator might have: other casing, a number as a string, an unknown field.
        var stored = JsonSerializer.SerializeToNode(BallotFlow.Opened().State, EngineJson.Options)!.AsObject();
        stored["NextSequence"] = stored["nextSequence"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        stored.Remove("nextSequence");
        stored["somethingNew"] = new JsonArray(1, 2);
        var text = stored.ToJsonString();

        var viaReflection = JsonSerializer.Deserialize<InstanceState>(text, EngineJson.Options)!;
        var viaGenerated = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(text), EngineJson.State)!;

        Assert.Equal(JsonSerializer.Serialize(viaReflection, EngineJson.Options), JsonSerializer.Serialize(viaGenerated, EngineJson.Options));
    }

    [Fact]
    public void The_generated_reader_refuses_what_the_reflection_reader_refuses()
    {
        var stored = JsonSerializer.SerializeToNode(BallotFlow.Opened().State, EngineJson.Options)!.AsObject();
        stored.Remove("communityId"); // required
        var bytes = Encoding.UTF8.GetBytes(stored.ToJsonString());

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<InstanceState>(bytes, EngineJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(bytes, EngineJson.State));
    }

    /// <summary>States of the consultation and of open and secret ballots: mid-run, refused on, ended and withdrawn.</summary>
    private static IEnumerable<(string Name, InstanceState State)> Named()
    {
        var submitted = Consultation.Submitted();
        yield return ("consultation submitted", submitted.State);
        yield return ("consultation returned for amendment", Consultation.ReturnedForAmendment().State);

        var consultation = Consultation.AtBallot();
        var ballot = consultation.BallotBookmarkId();
        yield return ("consultation at its ballot", consultation.State);
        consultation.Send(new CastVote(ballot, MemberLi, "consent", Awkward));
        consultation.Send(new Recuse(ballot, "p-member-zhang", "回避：" + Awkward));
        yield return ("consultation ballot with a vote and a recusal", consultation.State);
        foreach (var member in MembersExcept(MemberLi, DetaiMember, "p-member-zhang").TakeWhile(_ => consultation.IsOpen(Consultation.Ballot)))
        {
            consultation.Send(new CastVote(ballot, member, "consent"));
        }

        Assert.Equal(InstanceStatus.Completed, consultation.State.Status);
        yield return ("consultation ended after its ballot", consultation.State);

        var withdrawn = Consultation.AtBallot();
        withdrawn.Send(new Withdraw(DetaiLiaison, "撤回 " + Awkward));
        yield return ("consultation withdrawn", withdrawn.State);

        foreach (var secret in new[] { false, true })
        {
            var kind = secret ? "secret" : "open";
            var flow = BallotFlow.Opened(secret);
            var id = flow.OpenBookmark(BallotFlow.Vote).Id;
            yield return ($"{kind} ballot opened", flow.State);
            flow.Send(new CastVote(id, MemberLi, "object", Awkward));
            flow.Send(new CastVote(id, "p-member-zhang", "consent"));
            yield return ($"{kind} ballot with votes", flow.State);
            foreach (var member in MembersExcept(MemberLi, "p-member-zhang", DetaiMember).TakeWhile(_ => flow.IsOpen(BallotFlow.Vote)))
            {
                flow.Send(new CastVote(id, member, "consent"));
            }

            yield return ($"{kind} ballot closed", flow.State);
            flow.Send(new CompleteTask(flow.OpenBookmark(BallotFlow.Record).Id, OfficeXie, "done"));
            Assert.Equal(InstanceStatus.Completed, flow.State.Status);
            yield return ($"{kind} ballot ended", flow.State);
        }
    }
}
