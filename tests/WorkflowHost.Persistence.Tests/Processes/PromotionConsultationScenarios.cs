using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Processes;

/// <summary>
/// The promotion / award consultation to each of its ends on a real database: the community record attached, the reply
/// document and its verification, "no consent" final with a repeat flagged, no quorum, and withdrawal at every wait.
/// </summary>
public abstract class PromotionConsultationScenarios
{
    private const string Process = "promotion-consultation";
    private const string Gao = Consultation.Liaison;             // housing bureau liaison; its member Liu is recused
    private const string HousingBureau = "unit-housing-bureau";

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, ProcessDriver Flow)> StartAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        return (host, new ProcessDriver(host));
    }

    private static async Task<string> AcceptAsync(ProcessDriver flow, Guid id)
    {
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-check"), ProcessDriver.OfficeXie, "accept");
        return await flow.OpenAsync(id, "committee-ballot");
    }

    private static async Task<IReadOnlyList<string>> EligibleAsync(ProcessDriver flow) =>
        [.. (await flow.CommitteeAsync()).Where(m => m != Consultation.LiaisonsUnitMember)];

    [Fact]
    public async Task Consent_issues_a_reply_that_verifies_and_the_file_carries_the_nominees_community_record()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Gao, Consultation.ValidInput());

        var record = await flow.RecordAsync(id, "community-record");
        Assert.True(record["found"]!.GetValue<bool>());
        Assert.Equal("p-inservice-zhou", record["person"]!.GetValue<string>());
        Assert.Equal(4, record["participationCount"]!.GetValue<int>());
        Assert.Equal("社区邻里节", record["participations"]![0]!["title"]!.GetValue<string>()); // newest first
        Assert.False((await flow.RecordAsync(id, "repeat-check"))["flagged"]!.GetValue<bool>());

        var ballot = await AcceptAsync(flow, id);
        var eligible = await EligibleAsync(flow);
        await flow.VoteAsync(id, ballot, eligible.Take(2), "object");
        await flow.VoteAsync(id, ballot, eligible.Skip(2).Take(1), "abstain");
        await flow.VoteAsync(id, ballot, eligible.Skip(3).Take(6), "consent");
        Assert.True(await flow.IsWaitingAtAsync(id, "committee-ballot")); // 6 of 13 eligible is not more than half
        await flow.VoteAsync(id, ballot, eligible.Skip(9).Take(1), "consent");

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("consent", snapshot.State.Result);
        var reply = (await host.Documents.ReplyAsync(id))!;
        Assert.Equal(("2026-0001", "consent", "promotion", "周立新"), (reply.Number, reply.Decision, reply.Kind, reply.Nominee));
        Assert.Equal(("滨河社区", "滨江区住房和城乡建设局"), (reply.Community.ZhCn, reply.Unit.ZhCn));
        Assert.Equal(new DateOnly(2026, 11, 27), reply.IssuedOn);
        Assert.Equal((13, 10, 1), (reply.Eligible, reply.Participants, reply.Recused));
        Assert.Equal(new Dictionary<string, int> { ["consent"] = 7, ["object"] = 2, ["abstain"] = 1 }, reply.Totals);

        // The stored document names no voter.
        await using var db = await host.OpenDbAsync();
        var stored = await db.Set<IssuedDocument>().SingleAsync(d => d.InstanceId == id);
        Assert.All(eligible, member => Assert.DoesNotContain(member, stored.ContentJson, StringComparison.Ordinal));
        Assert.Contains("DocumentIssued", await flow.JournalTypesAsync(id));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task No_consent_is_final_and_a_new_consultation_on_the_same_nominee_and_kind_this_year_is_flagged_to_the_office()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var refused = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        var ballot = await AcceptAsync(flow, refused);
        await flow.VoteAsync(refused, ballot, (await EligibleAsync(flow)).Take(7), "object");
        Assert.Equal((InstanceStatus.Completed, "no-consent"), ((await flow.SnapshotAsync(refused)).State.Status, (await flow.SnapshotAsync(refused)).State.Result));
        await flow.RefuseAsync(refused, new Withdraw(Gao), RefusalCode.InstanceEnded); // final: nothing more can happen to it

        host.Time.Advance(TimeSpan.FromDays(10));
        var again = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        var award = Consultation.ValidInput();
        award["kind"] = "award";
        var otherKind = await flow.StartAsync(Process, Gao, award);

        var flag = await flow.RecordAsync(again, "repeat-check");
        Assert.Equal((true, true, 1, 1), (flag["flagged"]!.GetValue<bool>(), flag["afterNoConsent"]!.GetValue<bool>(), flag["count"]!.GetValue<int>(), flag["noConsent"]!.GetValue<int>()));
        Assert.Equal(refused.ToString(), flag["previous"]![0]!["instance"]!.GetValue<string>());
        Assert.Equal("2026-0001", flag["previous"]![0]!["replyNumber"]!.GetValue<string>());
        Assert.True(await flow.IsWaitingAtAsync(again, "office-check")); // the office sees the flag on the file it checks
        Assert.False((await flow.RecordAsync(otherKind, "repeat-check"))["flagged"]!.GetValue<bool>());
        Assert.Contains((await host.Processes.InstancesOfUnitAsync(ProcessDriver.Community, HousingBureau, Process)), i => i.InstanceId == again && i.Flagged);

        // Next year the slate is clean.
        host.Time.SetUtcNow(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime());
        var nextYear = Consultation.ValidInput();
        nextYear["replyNeededBy"] = "2027-03-31";
        var fresh = await flow.StartAsync(Process, Gao, nextYear);
        Assert.False((await flow.RecordAsync(fresh, "repeat-check"))["flagged"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_amended_nominee_is_looked_up_again_on_resubmission()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var input = Consultation.ValidInput();
        input["nomineeName"] = "张三";
        var id = await flow.StartAsync(Process, Gao, input);
        Assert.False((await flow.RecordAsync(id, "community-record"))["found"]!.GetValue<bool>());

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-check"), ProcessDriver.OfficeXie, "return");
        await flow.SendAsync(id, new CompleteTask(await flow.OpenAsync(id, "amend"), Gao, "resubmit", AmendedInput: new JsonObject { ["nomineeName"] = "周立新" }));

        Assert.True((await flow.RecordAsync(id, "community-record"))["found"]!.GetValue<bool>());
    }

    /// <summary>
    /// With a <c>due</c> deadline the ballot never closes by time (docs/decisions/0009): it is decided by votes or, with
    /// everyone recused, has no quorum. Every eligible member recuses here.
    /// </summary>
    private static async Task RecuseAllAsync(ProcessDriver flow, Guid id, string ballot)
    {
        foreach (var member in await EligibleAsync(flow))
        {
            await flow.SendAsync(id, new Recuse(ballot, member, "与被推荐人有亲属关系"));
        }
    }

    [Fact]
    public async Task An_overdue_ballot_escalates_and_stays_open_time_never_consents()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        var ballot = await AcceptAsync(flow, id);
        await flow.VoteAsync(id, ballot, (await EligibleAsync(flow)).Take(6), "consent");

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 9, 9, 0, 0, Shanghai));

        Assert.True(await flow.IsWaitingAtAsync(id, "committee-ballot"));
        Assert.Equal(InstanceStatus.Running, (await flow.SnapshotAsync(id)).State.Status);
        Assert.Null(await host.Documents.ReplyAsync(id));
        var escalated = (await flow.NotificationsAsync(id)).Where(n => n.Template == "escalation").Select(n => n.RecipientId).Order(StringComparer.Ordinal);
        Assert.Equal([ProcessDriver.Secretary, ProcessDriver.Street], escalated);
    }

    [Fact]
    public async Task No_quorum_goes_to_the_secretary_whose_second_vote_keeps_the_first_round()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        var ballot = await AcceptAsync(flow, id);
        await RecuseAllAsync(flow, id, ballot);
        Assert.Equal("no-quorum", (await flow.RecordAsync(id, "committee-ballot"))["outcome"]!.GetValue<string>());

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "no-quorum-review"), Consultation.Secretary, "revote");
        var second = await flow.OpenAsync(id, "committee-ballot");
        Assert.NotEqual(ballot, second);
        await flow.VoteAsync(id, second, (await EligibleAsync(flow)).Take(7), "consent");

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("consent", snapshot.State.Result);
        var rounds = snapshot.State.Variables["committee-ballot"]!["rounds"]!.AsArray();
        Assert.Equal([("no-quorum", 0), ("passed", 7)], rounds.Select(r => (r!["outcome"]!.GetValue<string>(), r["participants"]!.GetValue<int>())));
        Assert.Equal(14, rounds[0]!["recused"]!.GetValue<int>());
        Assert.Equal(("consent", 7), ((await host.Documents.ReplyAsync(id))!.Decision, (await host.Documents.ReplyAsync(id))!.Participants));
    }

    [Fact]
    public async Task No_quorum_closed_by_the_secretary_gives_a_no_consent_reply()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        await RecuseAllAsync(flow, id, await AcceptAsync(flow, id));

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "no-quorum-review"), Consultation.Secretary, "close");

        Assert.Equal("no-consent", (await flow.SnapshotAsync(id)).State.Result);
        var reply = (await host.Documents.ReplyAsync(id))!;
        Assert.Equal(("no-consent", 0, 0), (reply.Decision, reply.Eligible, reply.Participants));
    }

    [Theory]
    [InlineData("office-check")]
    [InlineData("amend")]
    [InlineData("committee-ballot")]
    [InlineData("no-quorum-review")]
    public async Task The_unit_can_withdraw_at_every_waiting_point(string waitingAt)
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        if (waitingAt == "amend")
        {
            await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-check"), ProcessDriver.OfficeXie, "return");
        }
        else if (waitingAt != "office-check")
        {
            await AcceptAsync(flow, id);
            if (waitingAt == "no-quorum-review")
            {
                await RecuseAllAsync(flow, id, await flow.OpenAsync(id, "committee-ballot"));
            }
        }

        Assert.True(await flow.IsWaitingAtAsync(id, waitingAt));
        await flow.RefuseAsync(id, new Withdraw(ProcessDriver.OfficeXie), RefusalCode.NotAllowed);
        await flow.SendAsync(id, new Withdraw(Gao, "人选调动"));

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal((InstanceStatus.Withdrawn, "withdrawn"), (snapshot.State.Status, snapshot.State.Result));
        Assert.All(snapshot.WorkItems, w => Assert.Equal("closed", w.Status));
        Assert.Null(await host.Documents.ReplyAsync(id));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(0, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Pending));
    }

    [Fact]
    public async Task A_unit_sees_all_its_consultations_and_their_state()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var waiting = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var decided = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        await flow.VoteAsync(decided, await AcceptAsync(flow, decided), (await EligibleAsync(flow)).Take(7), "consent");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var withdrawn = await flow.StartAsync(Process, Gao, Consultation.ValidInput());
        await flow.SendAsync(withdrawn, new Withdraw(Gao));
        await flow.StartAsync(Process, "p-liaison-ma", Consultation.ValidInput()); // another unit's

        var list = await host.Processes.InstancesOfUnitAsync(ProcessDriver.Community, HousingBureau, Process);

        Assert.Equal([withdrawn, decided, waiting], list.Select(i => i.InstanceId));
        Assert.Equal(["withdrawn", "completed", "running"], list.Select(i => i.Status));
        Assert.Equal(["office-check"], list[2].WaitingAt);
        Assert.Equal(["2026-0001"], list[1].DocumentNumbers);
        Assert.Equal("consent", list[1].Result);
        Assert.Equal("周立新", list[0].Input["nomineeName"]!.GetValue<string>());
    }
}

public sealed class SqlitePromotionConsultationTests : PromotionConsultationScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlPromotionConsultationTests : PromotionConsultationScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
