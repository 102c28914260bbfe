using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Tests.Support;
using static WorkflowHost.Engine.Tests.Support.SeedCommunity;

namespace WorkflowHost.Engine.Tests.Activities;

/// <summary>
/// The store hands a step no sealed choices unless it asks (decision 169): a step that closes a secret ballot voted on
/// in earlier steps asks for that ballot's choices, whichever way it closes; a step that does not close one, or closes
/// one that holds no earlier choice, runs without them.
/// </summary>
public sealed class SecretBallotChoicesOnDemandTests
{
    private static readonly IReadOnlyList<string> Eligible = MembersExcept(DetaiMember);

    /// <summary>The five ways a step closes a secret ballot that members voted on before, each from twelve votes of thirteen.</summary>
    public static TheoryData<string> ClosingSteps => ["last vote", "recusal", "departure", "deadline", "secretary"];

    [Theory]
    [MemberData(nameof(ClosingSteps))]
    public void A_step_that_closes_a_secret_ballot_asks_for_its_choices_and_counts_them_once_handed_in(string closing)
    {
        var (driver, stimulus) = AtClosingStep(closing);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;

        var needed = Assert.Throws<SealedChoicesNeededException>(() => RunWithoutChoices(driver, stimulus));

        Assert.Equal(ballot, needed.BookmarkId);
        var effects = driver.Send(stimulus); // the driver hands in the choices, as the store does on its second run
        var closed = Assert.Single(effects.OfType<BallotClosed>());
        Assert.Equal(12, closed.Totals.Values.Sum());
    }

    [Fact]
    public void A_secret_vote_that_does_not_close_the_ballot_needs_no_choices()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Votes(ballot, "consent", Eligible.Take(11));

        var result = RunWithoutChoices(driver, new CastVote(ballot, Eligible[11], "object"));

        Assert.True(result.Accepted);
        Assert.Empty(result.Effects.OfType<BallotClosed>());
    }

    [Fact]
    public void Cancelling_a_secret_ballot_with_votes_counts_nothing_and_needs_no_choices()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Votes(ballot, "consent", Eligible.Take(5));

        var result = RunWithoutChoices(driver, new Withdraw(DetaiLiaison, "撤回"));

        Assert.True(result.Accepted);
        Assert.Equal("cancelled", Assert.Single(result.Effects.OfType<BallotClosed>()).Outcome);
    }

    [Fact]
    public void A_secret_ballot_voted_on_only_in_its_closing_step_closes_without_asking()
    {
        var driver = BallotFlow.Opened(secret: true);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        driver.Clock.Advance(TimeSpan.FromDays(10));

        var result = RunWithoutChoices(driver, new FireTimer(DeadlineTimer(driver)));

        Assert.True(result.Accepted);
        Assert.Equal("no-quorum", Assert.Single(result.Effects.OfType<BallotClosed>(), c => c.BookmarkId == ballot).Outcome);
    }

    private static RunResult RunWithoutChoices(InstanceDriver driver, Stimulus stimulus) =>
        WorkflowRunner.Resume(driver.Definition, driver.State, stimulus, driver.Context with { Unsealed = null });

    /// <summary>Twelve of the thirteen eligible have voted (for the last vote: eleven, the thirteenth recused) and the stimulus closes the ballot.</summary>
    private static (InstanceDriver Driver, Stimulus Stimulus) AtClosingStep(string closing)
    {
        // Only a ballot with a voting deadline (due) waits, overdue, for the secretary to close it.
        var driver = BallotFlow.Opened(secret: true, closing == "secretary" ? BallotDeadline.Due : BallotDeadline.ClosesAfter);
        var ballot = driver.OpenBookmark(BallotFlow.Vote).Id;
        var last = Eligible[12];
        if (closing == "last vote")
        {
            driver.Send(new Recuse(ballot, last, "人选系本人亲属"));
            last = Eligible[11];
        }

        driver.Votes(ballot, "consent", Eligible.Take(7));
        driver.Votes(ballot, "object", Eligible.Skip(7).Take(closing == "last vote" ? 4 : 5));
        switch (closing)
        {
            case "last vote":
                return (driver, new CastVote(ballot, last, "object"));
            case "recusal":
                return (driver, new Recuse(ballot, last, "人选系本人亲属"));
            case "departure":
                return (driver, new VoterLeft(ballot, last, DateOnly.FromDateTime(driver.Clock.GetUtcNow().UtcDateTime), "change-1"));
            case "deadline":
                driver.Clock.Advance(TimeSpan.FromDays(10));
                return (driver, new FireTimer(DeadlineTimer(driver)));
            default:
                driver.Clock.Advance(TimeSpan.FromDays(10));
                return (driver, new CloseOverdueBallot(ballot, Secretary, "会期已过"));
        }
    }

    private static string DeadlineTimer(InstanceDriver driver) =>
        Assert.Single(driver.OpenBookmark(BallotFlow.Vote).TimerIds, id => id.EndsWith(":deadline", StringComparison.Ordinal));
}
