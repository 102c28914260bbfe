using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Inbox;

public sealed class InboxTests
{
    [Fact]
    public async Task Open_work_comes_most_urgent_first_and_says_when_it_is_overdue()
    {
        await using var factory = new HostFactory();
        var api = new ApiDriver(factory);
        var first = await api.SubmitAsync(People.OtherLiaison);          // Friday 27 Nov: due Tuesday 1 Dec, 17:30
        factory.Time.Advance(TimeSpan.FromDays(3));
        var second = await api.SubmitAsync(People.Liaison);             // Monday 30 Nov: due Wednesday 2 Dec, 17:30
        var ballot = await api.AtBallotAsync(People.Liaison);           // the secretary votes on it: due in 5 working days

        var inbox = (await api.GetAsync(People.Office, "/api/inbox")).Body.AsArray();
        Assert.Equal([first, second], inbox.Select(i => i!["instanceId"]!.GetValue<Guid>()));
        Assert.All(inbox, i => Assert.False(i!["overdue"]!.GetValue<bool>()));

        factory.Time.Advance(TimeSpan.FromDays(1.5));                     // Tuesday 1 Dec, 22:00 in Shanghai: the first is overdue
        api.ForgetTokens();
        inbox = (await api.GetAsync(People.Office, "/api/inbox")).Body.AsArray();
        Assert.True(inbox[0]!["overdue"]!.GetValue<bool>());
        Assert.False(inbox[1]!["overdue"]!.GetValue<bool>());

        var secretary = (await api.GetAsync(People.Secretary, "/api/inbox")).Body.AsArray();
        var vote = Assert.Single(secretary);
        Assert.Equal(ballot, vote!["instanceId"]!.GetValue<Guid>());
        Assert.Equal("ballot", vote["kind"]!.GetValue<string>());
        Assert.Equal(["consent", "object", "abstain"], vote["choices"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.EndsWith("/vote", vote["act"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(People.Secretary, vote["act"]!.GetValue<string>(), new { choice = "consent" })).Status);
        Assert.Empty((await api.GetAsync(People.Secretary, "/api/inbox")).Body.AsArray());
        var done = (await api.GetAsync(People.Secretary, "/api/inbox/done")).Body;
        Assert.Equal(1, done["total"]!.GetValue<int>());
        Assert.Null(done["items"]![0]!["act"]);
    }
}
