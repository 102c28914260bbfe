using WorkflowHost.Engine.Ballots;

namespace WorkflowHost.Engine.Tests.Ballots;

/// <summary>
/// Who is eligible and who is recused, written as loops without a predicate per voter (docs/benchmarks.md section 21a):
/// the same answers as the rule they replace, and no allocation beyond the one enumerator.
/// </summary>
public sealed class BallotStateTests
{
    [Fact]
    public void Eligible_voters_and_recusals_answer_as_the_rule_does()
    {
        var random = new Random(178);
        for (var round = 0; round < 500; round++)
        {
            var voters = Enumerable.Range(0, random.Next(0, 20)).Select(i => "p-" + random.Next(30)).ToList();
            var recused = Enumerable.Range(0, random.Next(0, 6)).Select(_ => new RecusalRecord("p-" + random.Next(30), "r", Automatic: random.Next(2) == 0)).ToList();
            var ballot = new BallotState { Voters = voters, Recusals = recused, Options = ["consent", "object"] };

            Assert.Equal(voters.Where(v => recused.TrueForAll(r => r.VoterId != v)), ballot.Eligible);
            foreach (var candidate in Enumerable.Range(0, 30).Select(i => "p-" + i))
            {
                Assert.Equal(recused.Exists(r => r.VoterId == candidate), ballot.IsRecused(candidate));
            }
        }
    }

    [Fact]
    public void Eligible_reads_the_recusals_as_they_stand_when_enumerated()
    {
        var ballot = new BallotState { Voters = ["a", "b", "c"], Options = ["consent"] };
        var eligible = ballot.Eligible;
        ballot.Recusals.Add(new RecusalRecord("b", "unit member", Automatic: true));

        Assert.Equal(["a", "c"], eligible);
    }

    [Fact]
    public void Enumerating_the_eligible_allocates_only_its_enumerator()
    {
        var ballot = new BallotState
        {
            Voters = [.. Enumerable.Range(0, 13).Select(i => "p-" + i)],
            Recusals = [new RecusalRecord("p-4", "unit member", Automatic: true)],
            Options = ["consent", "object"],
        };
        var counted = Count(ballot);

        var before = GC.GetAllocatedBytesForCurrentThread();
        counted = Count(ballot);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(12, counted);
        // One iterator object; a predicate and its closure per voter were more than 1 KB for thirteen.
        Assert.True(allocated <= 200, $"{allocated} bytes to enumerate thirteen voters");
    }

    private static int Count(BallotState ballot)
    {
        var count = 0;
        foreach (var voter in ballot.Eligible)
        {
            count += ballot.IsRecused(voter) ? 0 : 1;
        }

        return count;
    }
}
