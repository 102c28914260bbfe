using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>On a secret ballot nothing the engine produces may tell who chose what: only totals and who took part.</summary>
public sealed class SecretBallotTests
{
    private static readonly IReadOnlyList<string> Eligible = MembersExcept(DetaiMember);

    /// <summary>Six consent, six object, the last abstains: the ballot stays open until the 13th vote, then rejects.</summary>
    private static readonly IReadOnlyList<(string Voter, string Choice, string Reason)> Votes =
        [.. Eligible.Select((voter, i) => (voter, i < 6 ? "consent" : i < 12 ? "object" : "abstain", $"理由-{i:00}"))];

    [Fact]
    public void No_effect_journal_entry_or_state_links_a_voter_to_a_choice()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        var states = new List<JsonNode>();
        foreach (var (voter, choice, reason) in Votes)
        {
            driver.Send(new CastVote(ballot, voter, choice, reason));
            states.Add(JsonNode.Parse(EngineJsonText.Of(driver.State))!);
        }

        Assert.Equal("rejected", Assert.Single(driver.EffectsOf<BallotClosed>()).Outcome);
        var effects = EngineJsonText.Nodes(driver.History);
        foreach (var (voter, choice, reason) in Votes)
        {
            Assert.False(VoteLinks.Exist(effects, voter, choice), $"An effect links {voter} to '{choice}'.");
            Assert.False(VoteLinks.Exist(effects, voter, reason), $"An effect links {voter} to their reason.");
            Assert.All(states, state => Assert.False(VoteLinks.Exist(state, voter, choice), $"The state links {voter} to '{choice}'."));
        }
    }

    [Fact]
    public void A_secret_vote_is_recorded_as_taken_part_without_choice_or_reason()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;

        var effects = driver.Send(new CastVote(ballot, MemberLi, "object", "理由"));

        Assert.Equal(new VoteRecorded(ballot, MemberLi, Choice: null, Reason: null, Secret: true, EnteredBy: null), Assert.Single(effects.OfType<VoteRecorded>()));
        Assert.False(Assert.Single(driver.Journal("VoteCast")).ContainsKey("choice"));
    }

    [Fact]
    public void A_secret_ballot_settled_by_one_vote_stays_open_until_everyone_has_voted()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        foreach (var voter in Eligible.Take(12))
        {
            driver.Send(new CastVote(ballot, voter, "consent"));
        }

        Assert.Empty(driver.EffectsOf<BallotClosed>());
        driver.Send(new CastVote(ballot, Eligible[12], "object"));
        Assert.Equal("passed", Assert.Single(driver.EffectsOf<BallotClosed>()).Outcome);
    }

    [Fact]
    public void An_open_ballot_closes_as_soon_as_one_vote_settles_it()
    {
        var driver = BallotFlow.Opened(secret: false);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        foreach (var voter in Eligible.Take(7))
        {
            driver.Send(new CastVote(ballot, voter, "consent"));
        }

        Assert.Equal("passed", Assert.Single(driver.EffectsOf<BallotClosed>()).Outcome);
    }

    [Fact]
    public void The_search_finds_the_link_on_an_open_ballot()
    {
        var driver = BallotFlow.Opened(secret: false);

        driver.Send(new CastVote(driver.OpenBookmark(BallotFlow.Vote).Id, MemberLi, "object"));

        Assert.True(VoteLinks.Exist(JsonNode.Parse(EngineJsonText.Of(driver.State)), MemberLi, "object"));
        Assert.True(VoteLinks.Exist(EngineJsonText.Nodes(driver.History), MemberLi, "object"));
    }

    [Fact]
    public void Two_voters_swapping_their_choices_leave_the_same_record()
    {
        static (string State, string Effects) Run(string liChoice, string zhangChoice)
        {
            var driver = BallotFlow.Opened(secret: true);
            var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
            driver.Send(new CastVote(ballot, MemberLi, liChoice));
            driver.Send(new CastVote(ballot, "p-member-zhang", zhangChoice));

            // The choice itself goes to the store in a SecretChoiceCast, which it seals apart from the voter (decision 91);
            // everything else the engine produces is the same in both worlds.
            return (EngineJsonText.Of(driver.State), EngineJsonText.Of(driver.History.Select(e => e is SecretChoiceCast c ? c with { Choice = "SEALED" } : e).ToList()));
        }

        var first = Run("object", "consent");
        var swapped = Run("consent", "object");

        Assert.Equal(first.State, swapped.State);
        Assert.Equal(first.Effects, swapped.Effects);
    }

    [Fact]
    public void An_open_secret_ballot_keeps_who_took_part_and_no_tally_and_no_reason()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;

        var effects = driver.Send(new CastVote(ballot, "p-member-zhang", "object", "b 理由"));
        driver.Send(new CastVote(ballot, MemberLi, "consent", "a 理由"));

        // The state holds no running tally (decision 91): someone reading it between two votes learns nothing.
        var state = driver.OpenBookmark(BallotFlow.Vote).Ballot!;
        Assert.Empty(state.OpenVotes);
        Assert.Equal([MemberLi, "p-member-zhang"], state.Participants);
        Assert.All(state.Totals.Values, total => Assert.Equal(0, total));
        Assert.Empty(state.AnonymousReasons);
        Assert.DoesNotContain("理由", EngineJsonText.Of(driver.History), StringComparison.Ordinal);
        Assert.Equal(new SecretChoiceCast(ballot, "object"), Assert.Single(effects.OfType<SecretChoiceCast>()));
        Assert.Equal(["object", "consent"], driver.SealedChoices(ballot));
        driver.Refuse(new CastVote(ballot, MemberLi, "object"), RefusalCode.AlreadyVoted);
    }

    [Fact]
    public void A_secret_ballot_is_counted_at_its_close_from_the_sealed_choices()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        foreach (var (voter, choice, _) in Votes.Take(12))
        {
            driver.Send(new CastVote(ballot, voter, choice));
        }

        var closing = driver.Send(new CastVote(ballot, Votes[12].Voter, Votes[12].Choice));
        var closed = Assert.Single(closing.OfType<BallotClosed>());
        Assert.True(closed.Secret);
        Assert.Equal((6, 6, 1), (closed.Totals["consent"], closed.Totals["object"], closed.Totals["abstain"]));
        Assert.Equal("rejected", closed.Outcome);
        Assert.Empty(driver.SealedChoices(ballot));
    }

    [Fact]
    public void A_secret_ballot_whose_sealed_choices_do_not_add_up_is_not_decided()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        foreach (var (voter, choice, _) in Votes.Take(12))
        {
            driver.Send(new CastVote(ballot, voter, choice));
        }

        // A store that lost a sealed choice (or a row deleted by hand): the close refuses to count.
        var context = driver.Context with { Unsealed = new UnsealedChoices(new Dictionary<string, IReadOnlyList<string>> { [ballot] = [.. driver.SealedChoices(ballot).Skip(1)] }) };
        var error = Assert.Throws<InvalidOperationException>(() => WorkflowRunner.Resume(driver.Definition, driver.State, new CastVote(ballot, Votes[12].Voter, "consent"), context));
        Assert.Contains("13 members voted but 12", error.Message, StringComparison.Ordinal);
    }
}
