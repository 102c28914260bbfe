using WorkflowHost.Tests.Features.Ballots;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>The ballot page (<c>/work/{id}/{step}</c>) as the log sees it.</summary>
public sealed class WorkPageTests
{
    /// <summary>
    /// MVC logs a page handler's arguments at Trace; the vote handler reads the choice and reason from the form instead,
    /// so even at Trace the voter's request leaves neither in the log (found by the leak scan, decision 55).
    /// </summary>
    [Fact]
    public async Task A_vote_posted_through_the_page_leaves_neither_choice_nor_reason_in_the_log_at_Trace()
    {
        const string reason = "PAGE-VOTE-REASON-6120";
        await using var world = await SecretBallotWorld.StartAsync();
        await world.VoteByPageAsync(People.Member, "abstain", reason);

        var post = world.LogsByRequest().Single(r => r.Key.Contains("page POST /work/", StringComparison.Ordinal));
        Assert.Contains(post.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace && e.Category.StartsWith("Microsoft.AspNetCore.Mvc", StringComparison.Ordinal));
        Assert.DoesNotContain(post.Entries, e => e.ToString().Contains("abstain", StringComparison.Ordinal));
        Assert.DoesNotContain(world.Logs.Entries, e => (e + string.Join(" ", e.State.Select(s => s.Value))).Contains(reason, StringComparison.Ordinal));
    }
}
