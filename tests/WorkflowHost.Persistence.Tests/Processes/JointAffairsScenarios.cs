using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Processes;

/// <summary>
/// Joint affairs discussion (事务共商) to each of its ends on a real database: declined, discussed online and voted secretly,
/// voted at a meeting with attested votes, a split vote deferred and voted again, no quorum, follow-up actions with
/// reminders and escalation, closed early, and withdrawal at every wait.
/// </summary>
public abstract class JointAffairsScenarios
{
    private const string Process = "joint-affairs-discussion";
    private const string Proposer = "p-liaison-han";        // Xinhua Road Primary School; its member Feng is recused
    private const string SchoolMember = "p-member-feng";
    private const string PoliceLiaison = "p-liaison-ma";
    private const string LibraryLiaison = "p-liaison-dong";

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, ProcessDriver Flow)> StartAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        return (host, new ProcessDriver(host));
    }

    private static JsonObject Item() => new()
    {
        ["title"] = "新华路小学周边上下学时段交通秩序",
        ["category"] = "community-management",
        ["description"] = "上下学时段校门口车辆拥堵，存在安全隐患。",
        ["proposal"] = "派出所增派警力，学校错峰放学，图书馆开放接送等候区。",
    };

    private static JsonObject Online(bool secret) => new() { ["format"] = "online", ["secretBallot"] = secret };

    private static JsonObject Meeting() => new() { ["format"] = "meeting", ["meetingDate"] = "2026-12-03", ["place"] = "社区党群服务中心三楼会议室", ["secretBallot"] = false };

    private static async Task<IReadOnlyList<string>> EligibleAsync(ProcessDriver flow) =>
        [.. (await flow.CommitteeAsync()).Where(m => m != SchoolMember)];

    /// <summary>Proposed and placed on an agenda; with an online round, waiting for its discussion period to end.</summary>
    private static async Task<Guid> ScheduledAsync(ProcessDriver flow, JsonObject agenda)
    {
        var id = await flow.StartAsync(Process, Proposer, Item());
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "place-on-agenda"), ProcessDriver.OfficeXie, "schedule", agenda);
        return id;
    }

    /// <summary>An open ballot, online round after its discussion period.</summary>
    private static async Task<(Guid Id, string Ballot)> AtBallotAsync(ProcessDriver flow, bool secret = false)
    {
        var id = await ScheduledAsync(flow, Online(secret));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 2, 17, 30, 0, Shanghai));
        return (id, await flow.OpenAsync(id, "committee-ballot"));
    }

    /// <summary>Six objections then seven consents: passed by 7 of 13, a margin of one vote.</summary>
    private static async Task<Guid> SplitAsync(ProcessDriver flow)
    {
        var (id, ballot) = await AtBallotAsync(flow);
        var eligible = await EligibleAsync(flow);
        await flow.VoteAsync(id, ballot, eligible.Take(6), "object");
        await flow.VoteAsync(id, ballot, eligible.Skip(6), "consent");
        return id;
    }

    private static JsonObject Resolution(params (string Unit, string Action, string Due)[] actions) => new()
    {
        ["resolution"] = "同意实施上下学时段交通疏导方案。",
        ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)new JsonObject { ["unit"] = a.Unit, ["description"] = a.Action, ["dueDate"] = a.Due })]),
    };

    private static async Task<Guid> AtFollowUpAsync(ProcessDriver flow)
    {
        var (id, ballot) = await AtBallotAsync(flow);
        await flow.VoteAsync(id, ballot, (await EligibleAsync(flow)).Take(7), "consent");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record",
            Resolution(("unit-xinhua-police-station", "上下学时段增派警力", "2026-12-18"), ("unit-district-library", "开放家长等候区", "2026-12-18")));
        return id;
    }

    [Fact]
    public async Task An_item_the_office_declines_ends_declined_and_the_proposer_is_told()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await flow.StartAsync(Process, Proposer, Item());
        var agenda = await flow.OpenAsync(id, "place-on-agenda");

        await flow.RefuseAsync(id, new CompleteTask(agenda, ProcessDriver.OfficeXie, "schedule", Data: new JsonObject { ["format"] = "meeting", ["secretBallot"] = false }), RefusalCode.InvalidInput);
        await flow.CompleteAsync(id, agenda, ProcessDriver.OfficeXie, "decline", comment: "属学校内部管理事项");

        Assert.Equal("declined", (await flow.SnapshotAsync(id)).State.Result);
        Assert.Equal([Proposer], (await flow.NotificationsAsync(id)).Select(n => n.RecipientId));
    }

    [Fact]
    public async Task Members_discuss_online_vote_secretly_and_numbered_minutes_and_follow_up_close_the_item()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await ScheduledAsync(flow, Online(secret: true));
        Assert.True(await flow.IsWaitingAtAsync(id, "discussion"));

        await flow.SendAsync(id, new AddComment("p-member-zhao", "派出所可在7:30-8:10、16:30-17:30安排警力。"));
        await flow.SendAsync(id, new AddComment(Proposer, "学校同意错峰放学。"));
        await flow.RefuseAsync(id, new AddComment("p-admin-shen", "测试"), RefusalCode.NotAllowed);
        await flow.RefuseAsync(id, new AddComment("p-liaison-yuan", "路过"), RefusalCode.NotAllowed);
        var comments = await host.Processes.CommentsAsync(id);
        Assert.Equal(["p-member-zhao", Proposer], comments.Select(c => c.ActorId));

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 2, 17, 30, 0, Shanghai));
        var ballot = await flow.OpenAsync(id, "committee-ballot");
        var eligible = await EligibleAsync(flow);
        await flow.VoteAsync(id, ballot, eligible.Take(3), "object");
        await flow.VoteAsync(id, ballot, eligible.Skip(3), "consent");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record",
            Resolution(("unit-xinhua-police-station", "上下学时段增派警力", "2026-12-18"), ("unit-district-library", "开放家长等候区", "2026-12-31")));

        var minutes = (await host.Documents.MinutesAsync(id))!;
        Assert.Equal(("JY-2026-001", "passed", true, "online"), (minutes.Number, minutes.Outcome, minutes.SecretBallot, minutes.Format));
        Assert.Equal(new Dictionary<string, int> { ["consent"] = 10, ["object"] = 3, ["abstain"] = 0 }, minutes.Totals);
        Assert.Equal((13, 13), (minutes.Eligible, minutes.Participants));
        Assert.Equal(SchoolMember, Assert.Single(minutes.Recusals).Member.Id);
        Assert.Equal(["滨江区公安分局新华派出所", "滨江区图书馆"], minutes.Actions.Select(a => a.Unit.ZhCn));
        await using (var db = await host.OpenDbAsync())
        {
            var stored = await db.Set<IssuedDocument>().SingleAsync(d => d.InstanceId == id);
            Assert.DoesNotContain("\"choice\"", stored.ContentJson, StringComparison.Ordinal);
        }

        var tasks = await flow.OpenItemsAsync(id, "follow-up");
        var police = Assert.Single(tasks, t => t.AssigneeValue == "unit-xinhua-police-station");
        var library = Assert.Single(tasks, t => t.AssigneeValue == "unit-district-library");
        Assert.Equal(new DateTimeOffset(2026, 12, 18, 17, 30, 0, Shanghai), police.DueAt);
        Assert.Contains(await host.Queries.OpenWorkForAsync(PoliceLiaison), w => w.BookmarkId == police.BookmarkId);
        await flow.CompleteAsync(id, police.BookmarkId, PoliceLiaison, "done", new JsonObject { ["report"] = "已安排每日两个时段警力。" });
        Assert.Equal(InstanceStatus.Running, (await flow.SnapshotAsync(id)).State.Status);
        await flow.CompleteAsync(id, library.BookmarkId, LibraryLiaison, "done", new JsonObject { ["report"] = "一楼大厅开放为等候区。" });

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("completed", snapshot.State.Result);
        Assert.All(snapshot.WorkItems, w => Assert.Equal("closed", w.Status));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task At_a_meeting_the_secretary_enters_attested_votes_with_the_attendance_list_and_they_count()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await ScheduledAsync(flow, Meeting());
        var ballot = await flow.OpenAsync(id, "committee-ballot"); // a meeting needs no online discussion period
        var eligible = await EligibleAsync(flow);
        await flow.VoteAsync(id, ballot, eligible.Take(2), "consent");    // two vote online before the meeting

        var present = eligible.Skip(2).Take(9).Append(ProcessDriver.Secretary).Distinct().ToList();
        var meetingVotes = eligible.Skip(2).Take(6).Select(m => new MeetingVote(m, "consent")).Append(new MeetingVote(eligible[8], "abstain")).ToList();
        await flow.RefuseAsync(id, new RecordMeetingVotes(ballot, "p-member-li", present, meetingVotes, "12月3日党委会现场表决"), RefusalCode.NotAllowed);
        await flow.RefuseAsync(id, new RecordMeetingVotes(ballot, ProcessDriver.Secretary, present, [.. meetingVotes, new MeetingVote(eligible[11], "consent")], "12月3日党委会现场表决"), RefusalCode.InvalidInput);
        await flow.SendAsync(id, new RecordMeetingVotes(ballot, ProcessDriver.Secretary, present, meetingVotes, "12月3日党委会现场表决，书记王建国核实"));

        var record = await flow.RecordAsync(id, "committee-ballot");
        Assert.Equal(("passed", 9, 8), (record["outcome"]!.GetValue<string>(), record["participants"]!.GetValue<int>(), record["totals"]!["consent"]!.GetValue<int>()));
        var voters = await host.Queries.VotersAsync(id, ballot);
        Assert.Equal(7, voters.Count(v => v.EnteredBy == ProcessDriver.Secretary));
        Assert.Equal(2, voters.Count(v => v.Status == VoterStatus.Voted && v.EnteredBy is null));

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record", new JsonObject { ["resolution"] = "原则同意，由学校自行组织实施。" });
        var minutes = (await host.Documents.MinutesAsync(id))!;
        Assert.Equal(("2026-12-03", "社区党群服务中心三楼会议室"), (minutes.MeetingDate, minutes.Place));
        Assert.Equal(present.Order(StringComparer.Ordinal), minutes.Attendance.Select(a => a.Id));
        Assert.Contains(minutes.Attendance, a => a.ZhCn == "王建国");
        Assert.Empty(minutes.Actions);
        Assert.Equal("adopted", (await flow.SnapshotAsync(id)).State.Result);
    }

    [Fact]
    public async Task A_sharply_split_vote_is_deferred_and_voted_again_and_the_first_round_stays_in_the_record()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await SplitAsync(flow);
        var first = await flow.RecordAsync(id, "committee-ballot");
        Assert.Equal(("passed", 1), (first["outcome"]!.GetValue<string>(), first["margin"]!.GetValue<int>()));

        var review = await flow.OpenAsync(id, "secretary-review");
        await flow.RefuseAsync(id, new CompleteTask(review, ProcessDriver.Secretary, "defer"), RefusalCode.InvalidInput); // a date is needed
        await flow.CompleteAsync(id, review, ProcessDriver.Secretary, "defer", new JsonObject { ["revoteOn"] = "2026-12-10", ["reason"] = "分歧较大，待补充调研后复议" });
        Assert.True(await flow.IsWaitingAtAsync(id, "deferral"));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 9, 23, 0, 0, Shanghai));
        Assert.True(await flow.IsWaitingAtAsync(id, "deferral"));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 10, 0, 0, 0, Shanghai));

        var second = await flow.OpenAsync(id, "committee-ballot");
        await flow.VoteAsync(id, second, (await EligibleAsync(flow)).Take(7), "consent");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record", new JsonObject { ["resolution"] = "复议通过。" });

        var minutes = (await host.Documents.MinutesAsync(id))!;
        Assert.Equal([(1, "passed", 1), (2, "passed", 7)], minutes.Rounds.Select(r => (r.Round, r.Outcome, r.Margin)));
        Assert.Equal(6, minutes.Rounds[0].Totals["object"]);
        Assert.Equal("adopted", (await flow.SnapshotAsync(id)).State.Result);
    }

    [Fact]
    public async Task A_split_result_the_secretary_confirms_is_recorded_as_it_stands()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, ballot) = await AtBallotAsync(flow);
        var eligible = await EligibleAsync(flow);
        await flow.VoteAsync(id, ballot, eligible.Take(6), "consent");
        await flow.VoteAsync(id, ballot, eligible.Skip(6).Take(7), "object");

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "secretary-review"), ProcessDriver.Secretary, "confirm");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record", new JsonObject { ["resolution"] = "未获通过。" });

        Assert.Equal("not-adopted", (await flow.SnapshotAsync(id)).State.Result);
        Assert.Equal(("rejected", 1), ((await host.Documents.MinutesAsync(id))!.Outcome, (await host.Documents.MinutesAsync(id))!.Rounds.Count));
    }

    [Fact]
    public async Task A_clear_rejection_needs_no_secretary_and_ends_not_adopted()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, ballot) = await AtBallotAsync(flow);
        await flow.VoteAsync(id, ballot, (await EligibleAsync(flow)).Take(7), "object");

        Assert.False(await flow.IsWaitingAtAsync(id, "secretary-review"));
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record", new JsonObject { ["resolution"] = "不予通过。" });
        Assert.Equal("not-adopted", (await flow.SnapshotAsync(id)).State.Result);
    }

    [Fact]
    public async Task No_quorum_at_the_deadline_goes_to_the_secretary_and_never_passes()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, ballot) = await AtBallotAsync(flow);
        await flow.VoteAsync(id, ballot, (await EligibleAsync(flow)).Take(5), "consent");

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 17, 9, 0, 0, Shanghai));
        Assert.Equal("no-quorum", (await flow.RecordAsync(id, "committee-ballot"))["outcome"]!.GetValue<string>());
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "secretary-review"), ProcessDriver.Secretary, "confirm");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "record-resolution"), ProcessDriver.Secretary, "record", new JsonObject { ["resolution"] = "未达法定人数，未形成决议。" });

        Assert.Equal("not-adopted", (await flow.SnapshotAsync(id)).State.Result);
    }

    [Fact]
    public async Task Overdue_follow_up_actions_are_reminded_and_escalated_once_and_the_secretary_can_close_them_with_a_reason()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await AtFollowUpAsync(flow);
        var library = Assert.Single(await flow.OpenItemsAsync(id, "follow-up"), t => t.AssigneeValue == "unit-district-library").BookmarkId;
        await flow.CompleteAsync(id, library, LibraryLiaison, "done", new JsonObject { ["report"] = "已开放。" });

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 16, 17, 30, 0, Shanghai));
        Assert.Equal([PoliceLiaison], (await flow.NotificationsAsync(id)).Where(n => n.Template == "reminder").Select(n => n.RecipientId));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 18, 17, 30, 0, Shanghai));
        Assert.Equal([ProcessDriver.Secretary], (await flow.NotificationsAsync(id)).Where(n => n.Template == "escalation").Select(n => n.RecipientId));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 24, 9, 0, 0, Shanghai));
        var escalations = (await flow.NotificationsAsync(id)).Where(n => n.Template == "escalation").Select(n => n.RecipientId).Order(StringComparer.Ordinal);
        Assert.Equal([ProcessDriver.Secretary, ProcessDriver.Street], escalations);
        Assert.Contains("TaskOverdue", await flow.JournalTypesAsync(id));
        Assert.True(await flow.IsWaitingAtAsync(id, "follow-up"));

        var supervision = Assert.Single(await flow.OpenItemsAsync(id, "follow-up"), t => t.AssigneeKind == "role").BookmarkId;
        await flow.RefuseAsync(id, new CompleteTask(supervision, ProcessDriver.Secretary, "close"), RefusalCode.InvalidInput);
        await flow.CompleteAsync(id, supervision, ProcessDriver.Secretary, "close", comment: "改由区交警大队统一部署");

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("closed", snapshot.State.Result);
        Assert.Equal("改由区交警大队统一部署", snapshot.State.Variables["follow-up"]!["reason"]!.GetValue<string>());
        await using var db = await host.OpenDbAsync();
        Assert.Equal(0, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Pending));
    }

    [Theory]
    [InlineData("place-on-agenda")]
    [InlineData("discussion")]
    [InlineData("committee-ballot")]
    [InlineData("secretary-review")]
    [InlineData("deferral")]
    [InlineData("record-resolution")]
    [InlineData("follow-up")]
    public async Task The_proposer_can_withdraw_at_every_waiting_point(string waitingAt)
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        Guid id;
        switch (waitingAt)
        {
            case "place-on-agenda":
                id = await flow.StartAsync(Process, Proposer, Item());
                break;
            case "discussion":
                id = await ScheduledAsync(flow, Online(secret: false));
                break;
            case "committee-ballot":
                id = (await AtBallotAsync(flow)).Id;
                break;
            case "secretary-review":
                id = await SplitAsync(flow);
                break;
            case "deferral":
                id = await SplitAsync(flow);
                await flow.CompleteAsync(id, await flow.OpenAsync(id, "secretary-review"), ProcessDriver.Secretary, "defer", new JsonObject { ["revoteOn"] = "2026-12-10" });
                break;
            case "record-resolution":
                id = await SplitAsync(flow);
                await flow.CompleteAsync(id, await flow.OpenAsync(id, "secretary-review"), ProcessDriver.Secretary, "confirm");
                break;
            default:
                id = await AtFollowUpAsync(flow);
                break;
        }

        Assert.True(await flow.IsWaitingAtAsync(id, waitingAt));
        await flow.RefuseAsync(id, new Withdraw(ProcessDriver.Secretary), RefusalCode.NotAllowed);
        await flow.SendAsync(id, new Withdraw(Proposer, "问题已解决"));

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("withdrawn", snapshot.State.Result);
        Assert.Empty(snapshot.State.Bookmarks);
        Assert.All(snapshot.WorkItems, w => Assert.Equal("closed", w.Status));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(0, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Pending));
    }
}

public sealed class SqliteJointAffairsTests : JointAffairsScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlJointAffairsTests : JointAffairsScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
