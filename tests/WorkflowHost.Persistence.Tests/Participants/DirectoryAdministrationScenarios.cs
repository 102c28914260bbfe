using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Participants;

/// <summary>
/// Directory administration on a real database: a term change during an open ballot (decision 109), refusals that
/// change nothing, the change journal, and a change made on one host seen by the next step of another (decision 110).
/// The seeded committee is term 1 from 1 March 2026; "today" is 27 November 2026.
/// </summary>
public abstract class DirectoryAdministrationScenarios
{
    private const string Admin = "p-admin-shen";
    private const string Community = Consultation.Community;
    private static readonly DateOnly Today = new(2026, 11, 27);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static DirectoryAdministration DirectoryOf(WorkflowTestHost host) => host.Services.GetRequiredService<DirectoryAdministration>();

    private static async Task<List<string>> CommitteeAsync(WorkflowTestHost host)
    {
        await using var db = await host.OpenDbAsync();
        return await db.PersonRoles.Where(r => r.Role == RoleNames.CommitteeMember).Select(r => r.PersonId).OrderBy(p => p).ToListAsync();
    }

    [Fact]
    public async Task A_new_term_during_an_open_ballot_keeps_a_cast_vote_takes_out_a_member_who_had_not_voted_and_lets_no_newcomer_in()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var consultation = new Consultation(host);
        var directory = DirectoryOf(host);
        var id = await consultation.SubmitAsync();
        var ballot = await consultation.AcceptAsync(id); // Liu recused: 13 eligible
        var vote = await host.Commands.ResumeAsync(new ResumeCommand(id, Community, new CastVote(ballot, "p-member-li", "consent")));
        Assert.True(vote.Succeeded, $"{vote.Refusal}: {vote.Message}");
        Assert.True((await directory.AddPersonAsync(Admin, Community, "p-member-han", new PersonInput("韩立", "Han Li", null, "专职委员", "Full-time member", null, null, "zh-CN"))).Succeeded);

        // Term 2: Li (voted) and Zhang (not voted) are not re-elected; Han is new.
        var members = (await CommitteeAsync(host)).Where(m => m is not "p-member-li" and not "p-member-zhang").Append("p-member-han");
        await using (var db = await host.OpenDbAsync())
        {
            var units = await db.People.Where(p => members.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.UnitId);
            var term = new TermInput(2, Today, [.. members.Select(m => new TermMemberInput(m, units[m] is null ? TermMemberKind.FullTime : TermMemberKind.PartTime, units[m]))]);
            var started = await directory.StartTermAsync(Admin, Community, term);
            Assert.True(started.Succeeded, started.Message);
        }

        var snapshot = (await host.Queries.GetAsync(id))!;
        var state = snapshot.State.Bookmarks.Single(b => b.Id == ballot).Ballot!;
        Assert.Equal(12, state.EligibleCount);
        Assert.Equal(1, state.TotalFor("consent")); // Li's vote stands
        Assert.Contains(state.Recusals, r => r.VoterId == "p-member-zhang" && r.Reason == BallotActivity.LeftCommitteeReason);
        Assert.DoesNotContain("p-member-han", state.Voters);
        await new ProcessDriver(host).RefuseAsync(id, new CastVote(ballot, "p-member-han", "consent"), RefusalCode.NotAllowed);
        await new ProcessDriver(host).RefuseAsync(id, new CastVote(ballot, "p-member-zhang", "consent"), RefusalCode.Recused);

        await using var check = await host.OpenDbAsync();
        var voters = await check.BallotVoters.Where(v => v.InstanceId == id).ToDictionaryAsync(v => v.PersonId, v => (v.Status, v.RecusalReason));
        Assert.Equal((VoterStatus.Voted, (string?)null), voters["p-member-li"]);
        Assert.Equal((VoterStatus.Recused, BallotActivity.LeftCommitteeReason), voters["p-member-zhang"]);
        var left = await check.JournalEvents.Where(e => e.InstanceId == id && e.Type == JournalEventTypes.VoterLeft).Select(e => e.DataJson).ToListAsync();
        Assert.Equal(2, left.Count);
        var reduced = Assert.Single(await check.DirectoryChanges.Where(c => c.Kind == DirectoryChangeKind.BallotEligibilityReduced).ToListAsync());
        Assert.Equal("p-member-zhang", reduced.SubjectId);
        Assert.Contains(id.ToString(), reduced.AfterJson, StringComparison.Ordinal);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);

        // The directory: term 1 ended on the start of term 2; Zhang's role ended with a dated period; Han's began.
        var terms = await check.CommitteeTerms.OrderBy(t => t.Number).ToListAsync();
        Assert.Equal([(1, (DateOnly?)Today), (2, null)], terms.Select(t => (t.Number, t.EndsOn)));
        Assert.Equal(Today, (await check.RolePeriods.SingleAsync(r => r.PersonId == "p-member-zhang" && r.Role == RoleNames.CommitteeMember)).To);
        Assert.Contains("p-member-han", await CommitteeAsync(host));
        Assert.DoesNotContain("p-member-zhang", await CommitteeAsync(host));
    }

    [Fact]
    public async Task Refused_changes_change_nothing_and_each_accepted_one_is_journaled_with_before_and_after()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var directory = DirectoryOf(host);
        await using (var db = await host.OpenDbAsync())
        {
            db.Communities.Add(new Community { Id = "riverside", NameZh = "河畔社区", NameEn = "Riverside", StreetZh = "新华街道", StreetEn = "Xinhua Subdistrict" });
            db.Units.Add(new ResidentUnit { Id = "unit-riverside-clinic", CommunityId = "riverside", NameZh = "河畔卫生服务站", NameEn = "Riverside Clinic", Kind = "hospital" });
            await db.SaveChangesAsync();
        }

        var unit = new UnitInput("滨河社区卫生服务中心", "Binhe Community Health Centre", "hospital", new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1), "双方在党员教育、志愿服务方面共驻共建。");
        var added = await directory.AddUnitAsync(Admin, Community, "unit-binhe-health", unit);
        Assert.True(added.Succeeded, added.Message);
        Assert.Equal(DirectoryOutcome.Conflict, (await directory.AddUnitAsync(Admin, Community, "unit-binhe-health", unit)).Outcome);
        Assert.Equal(DirectoryOutcome.Conflict, (await directory.EditUnitAsync(Admin, Community, "unit-binhe-health", added.Version!.Value + 1, unit with { NameEn = "Stale" })).Outcome);
        Assert.Equal(DirectoryOutcome.NotFound, (await directory.EndUnitAsync(Admin, Community, "unit-riverside-clinic", Today)).Outcome);
        Assert.Equal(DirectoryOutcome.Invalid, (await directory.EndUnitAsync(Admin, Community, "unit-binhe-health", Today.AddDays(1))).Outcome);
        Assert.Equal(DirectoryOutcome.Invalid, (await directory.EndUnitAsync(Admin, Community, "unit-binhe-health", new DateOnly(2026, 5, 31))).Outcome);
        Assert.Equal(DirectoryOutcome.Invalid, (await directory.AddPersonAsync(Admin, Community, "p-liaison-other", new PersonInput("他人", "Other", "unit-riverside-clinic", null, null, null, null, "zh-CN"))).Outcome);

        host.Time.Advance(TimeSpan.FromMinutes(1));
        var ended = await directory.EndUnitAsync(Admin, Community, "unit-binhe-health", Today);
        Assert.True(ended.Succeeded, ended.Message);
        Assert.Equal(DirectoryOutcome.Conflict, (await directory.EndUnitAsync(Admin, Community, "unit-binhe-health", Today)).Outcome);
        Assert.Equal(DirectoryOutcome.Conflict, (await directory.EndRoleAsync(Admin, Community, "p-office-xie", RoleNames.Secretary, Today)).Outcome);
        Assert.Equal(DirectoryOutcome.Invalid, (await directory.GrantRoleAsync(Admin, Community, "p-office-xie", RoleNames.UnitLiaison, Today)).Outcome);

        await using var check = await host.OpenDbAsync();
        var changes = await check.DirectoryChanges.OrderBy(c => c.At).ThenBy(c => c.Id).ToListAsync();
        Assert.Equal([DirectoryChangeKind.UnitAdded, DirectoryChangeKind.UnitEnded], changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal((Admin, "unit-binhe-health", Community), (c.ActorId, c.SubjectId, c.CommunityId)));
        Assert.Null(changes[0].BeforeJson);
        Assert.Null(JsonDocument.Parse(changes[1].BeforeJson!).RootElement.GetProperty("leftOn").GetString());
        Assert.Equal("2026-11-27", JsonDocument.Parse(changes[1].AfterJson!).RootElement.GetProperty("leftOn").GetString());
        Assert.Equal(2, await check.Communities.Where(c => c.Id == Community).Select(c => c.DirectoryVersion).SingleAsync()); // refusals rolled back their bump
    }

    [Fact]
    public async Task A_change_made_on_one_host_is_seen_by_the_next_step_on_another()
    {
        await using var database = await CreateDatabaseAsync();
        await using var first = await WorkflowTestHost.StartAsync(database);
        await using var second = await WorkflowTestHost.StartAsync(database);
        var onFirst = new Consultation(first);
        await onFirst.SubmitAsync(liaison: "p-liaison-ma"); // the first host has the directory cached now

        var ended = await DirectoryOf(second).EndRoleAsync(Admin, Community, "p-liaison-ma", RoleNames.UnitLiaison, Today);
        Assert.True(ended.Succeeded, ended.Message);

        var refused = await first.Commands.StartAsync(new StartCommand("promotion-consultation", Community, "p-liaison-ma", Consultation.ValidInput()));
        Assert.Equal(RefusalCode.NotAllowed, refused.Refusal);
    }
}

public sealed class SqliteDirectoryAdministrationTests : DirectoryAdministrationScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlDirectoryAdministrationTests : DirectoryAdministrationScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
