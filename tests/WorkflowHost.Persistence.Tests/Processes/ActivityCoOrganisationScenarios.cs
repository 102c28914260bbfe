using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Processes;

/// <summary>
/// Activity co-organisation (活动共抓) to each of its ends on a real database: pledges with facility reservations (double
/// booking refused, also under concurrency), office or committee approval, pledges fulfilled and not, the summary, the
/// co-building record and the participation it feeds, reminders, and withdrawal at every wait.
/// </summary>
public abstract class ActivityCoOrganisationScenarios
{
    private const string Process = "activity-co-organisation";
    private const string Organiser = "p-liaison-han";       // Xinhua Road Primary School
    private const string School = "unit-xinhua-road-primary";
    private const string LibraryLiaison = "p-liaison-dong";
    private const string HospitalLiaison = "p-liaison-peng";
    private const string BankLiaison = "p-liaison-song";
    private const string Playground = "fac-primary-playground";
    private const string LectureHall = "fac-library-lecture-hall";

    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private async Task<(WorkflowTestHost Host, ProcessDriver Flow)> StartAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        return (host, new ProcessDriver(host));
    }

    private static JsonObject Activity(decimal budget = 8000, string date = "2026-12-12", string title = "社区邻里运动会") => new()
    {
        ["title"] = title,
        ["date"] = date,
        ["startTime"] = "09:00",
        ["endTime"] = "12:00",
        ["place"] = "新华路小学操场",
        ["description"] = "驻区单位与居民共同参加的趣味运动会。",
        ["needsVenue"] = true,
        ["volunteersNeeded"] = 10,
        ["budget"] = budget,
    };

    private static JsonObject Facility(string facility, string from, string to) => new() { ["kind"] = "facility", ["facility"] = facility, ["from"] = from, ["to"] = to };

    private static Contribute Pledge(string window, string liaison, JsonObject item) => new(window, liaison, item);

    /// <summary>Four pledges (the school's playground, the library's hall, six hospital volunteers, 5,000 yuan from the bank), window open.</summary>
    private static async Task<(Guid Id, string Window)> PledgedAsync(ProcessDriver flow, decimal budget = 8000)
    {
        var id = await flow.StartAsync(Process, Organiser, Activity(budget));
        var window = await flow.OpenAsync(id, "sign-up");
        await flow.SendAsync(id, Pledge(window, Organiser, Facility(Playground, "08:30", "12:30")));
        await flow.SendAsync(id, Pledge(window, LibraryLiaison, Facility(LectureHall, "13:00", "15:00")));
        await flow.SendAsync(id, Pledge(window, HospitalLiaison, new JsonObject { ["kind"] = "volunteers", ["volunteers"] = 6 }));
        await flow.SendAsync(id, Pledge(window, BankLiaison, new JsonObject { ["kind"] = "money", ["amount"] = 5000 }));
        return (id, window);
    }

    private static async Task<Guid> ApprovedAsync(ProcessDriver flow)
    {
        var (id, window) = await PledgedAsync(flow);
        await flow.CompleteAsync(id, window, Organiser, "close");
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "approve");
        return id;
    }

    private static async Task<IReadOnlyList<FacilityReservation>> ReservationsAsync(WorkflowTestHost host, string facility) =>
        await host.Processes.ReservationsAsync(facility);

    [Fact]
    public async Task Approved_by_the_office_pledges_confirmed_the_summary_filed_and_every_units_record_adds_up()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await ApprovedAsync(flow);

        var pledges = await flow.OpenItemsAsync(id, "pledge-delivery");
        Assert.Equal(5, pledges.Count); // four pledges and the office's supervision task
        var byUnit = pledges.Where(p => p.AssigneeKind == "unit").ToDictionary(p => p.AssigneeValue!);
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 17, 30, 0, Shanghai), byUnit[School].DueAt); // Saturday's activity: due the next working day
        await flow.CompleteAsync(id, byUnit[School].BookmarkId, Organiser, "fulfilled");
        await flow.CompleteAsync(id, byUnit["unit-district-library"].BookmarkId, LibraryLiaison, "fulfilled");
        await flow.CompleteAsync(id, byUnit["unit-district-hospital"].BookmarkId, HospitalLiaison, "fulfilled");
        await flow.CompleteAsync(id, byUnit["unit-ccb-binjiang-branch"].BookmarkId, BankLiaison, "not-fulfilled", comment: "预算未获批");

        Assert.True(await flow.IsWaitingAtAsync(id, "after-activity"));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 12, 23, 59, 0, Shanghai));
        Assert.False(await flow.IsWaitingAtAsync(id, "file-summary"));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 13, 0, 0, 0, Shanghai));
        var summary = await flow.OpenAsync(id, "file-summary");
        await flow.RefuseAsync(id, new CompleteTask(summary, Organiser, "file", Data: new JsonObject
        {
            ["participants"] = 120, ["summary"] = "运动会顺利举行。",
            ["inServiceParticipants"] = new JsonArray(new JsonObject { ["member"] = "p-member-li" }),
        }), RefusalCode.InvalidInput); // not an in-service party member
        await flow.CompleteAsync(id, summary, Organiser, "file", new JsonObject
        {
            ["participants"] = 120,
            ["summary"] = "运动会顺利举行，居民参与踊跃。",
            ["inServiceParticipants"] = new JsonArray(new JsonObject { ["member"] = "p-inservice-fang" }, new JsonObject { ["member"] = "p-inservice-ye" }),
        });

        Assert.Equal("completed", (await flow.SnapshotAsync(id)).State.Result);
        var school = await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, School);
        Assert.Equal((1, 0, 1, 1), (school.ActivitiesLed, school.ActivitiesCoOrganised, school.PledgesMade, school.PledgesFulfilled));
        Assert.Equal(1, school.Processes.Single(p => p.DefinitionId == Process).ByResult["completed"]);
        var bank = await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, "unit-ccb-binjiang-branch");
        Assert.Equal((0, 1, 1, 0), (bank.ActivitiesLed, bank.ActivitiesCoOrganised, bank.PledgesMade, bank.PledgesFulfilled));
        Assert.Equal(new PledgeCount(1, 0), bank.PledgesByResource["money"]);
        var hospital = await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, "unit-district-hospital");
        Assert.Equal(new PledgeCount(1, 1), hospital.PledgesByResource["volunteers"]);

        // The summary feeds the in-service members' community record, which a later consultation attaches.
        Assert.Contains(await host.Processes.ParticipationAsync("p-inservice-fang"), p => p.Title == "社区邻里运动会" && p.Date == new DateOnly(2026, 12, 12) && p.InstanceId == id);
        var consultation = Consultation.ValidInput();
        consultation["nomineeName"] = "方晓";
        var later = await flow.StartAsync("promotion-consultation", Organiser, consultation);
        var record = await flow.RecordAsync(later, "community-record");
        Assert.Equal((2, "社区邻里运动会"), (record["participationCount"]!.GetValue<int>(), record["participations"]![0]!["title"]!.GetValue<string>()));
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
    }

    [Fact]
    public async Task Above_the_budget_threshold_the_committee_votes_and_a_rejection_gives_the_facilities_back()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow, budget: 30000);
        await flow.CompleteAsync(id, window, Organiser, "close");
        Assert.False(await flow.IsWaitingAtAsync(id, "office-review"));
        var ballot = await flow.OpenAsync(id, "committee-ballot");
        var eligible = (await flow.CommitteeAsync()).Where(m => m != "p-member-feng").ToList();
        Assert.Equal(4, (await ReservationsAsync(host, Playground)).Count + (await ReservationsAsync(host, LectureHall)).Count + 2);

        await flow.VoteAsync(id, ballot, eligible.Take(7), "object");

        Assert.Equal("declined", (await flow.SnapshotAsync(id)).State.Result);
        Assert.Empty(await ReservationsAsync(host, Playground));
        Assert.Empty(await ReservationsAsync(host, LectureHall));
        Assert.Contains("FacilitiesReleased", await flow.JournalTypesAsync(id));

        // The hours are free again for another activity.
        var other = await flow.StartAsync(Process, Organiser, Activity(title: "冬季长跑"));
        await flow.SendAsync(other, Pledge(await flow.OpenAsync(other, "sign-up"), Organiser, Facility(Playground, "09:00", "11:00")));
    }

    [Fact]
    public async Task Above_the_threshold_no_quorum_by_the_deadline_declines_it()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow, budget: 30000);
        await flow.CompleteAsync(id, window, Organiser, "close");
        await flow.VoteAsync(id, await flow.OpenAsync(id, "committee-ballot"), (await flow.CommitteeAsync()).Where(m => m != "p-member-feng").Take(6), "consent");

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 5, 9, 0, 0, Shanghai));

        Assert.Equal("no-quorum", (await flow.RecordAsync(id, "committee-ballot"))["outcome"]!.GetValue<string>());
        Assert.Equal("declined", (await flow.SnapshotAsync(id)).State.Result);
        Assert.Empty(await ReservationsAsync(host, Playground));
    }

    [Fact]
    public async Task Above_the_threshold_a_passed_vote_approves_the_activity()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow, budget: 30000);
        await flow.CompleteAsync(id, window, Organiser, "close");

        await flow.VoteAsync(id, await flow.OpenAsync(id, "committee-ballot"), (await flow.CommitteeAsync()).Where(m => m != "p-member-feng").Take(7), "consent");

        Assert.Equal(5, (await flow.OpenItemsAsync(id, "pledge-delivery")).Count);
        Assert.True(await flow.IsWaitingAtAsync(id, "after-activity"));
    }

    [Theory]
    [InlineData("decline", "declined")]
    [InlineData("refer", null)]
    public async Task The_office_declines_or_refers_to_the_committee(string outcome, string? result)
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow);
        await flow.CompleteAsync(id, window, Organiser, "close");

        await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, outcome);

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal(result, snapshot.State.Result);
        Assert.Equal(result is null, snapshot.State.Bookmarks.Exists(b => b.ActivityId == "committee-ballot"));
        Assert.Equal(result is null ? 1 : 0, (await ReservationsAsync(host, Playground)).Count);
        if (result is not null)
        {
            Assert.Equal([Organiser], (await flow.NotificationsAsync(id)).Select(n => n.RecipientId));
        }
    }

    [Fact]
    public async Task A_facility_cannot_be_pledged_twice_for_overlapping_hours()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (first, firstWindow) = await PledgedAsync(flow);
        var second = await flow.StartAsync(Process, Organiser, Activity(title: "亲子阅读会"));
        var window = await flow.OpenAsync(second, "sign-up");

        var clash = await flow.RefuseAsync(second, Pledge(window, LibraryLiaison, Facility(LectureHall, "14:30", "16:00")), RefusalCode.InvalidInput);
        Assert.Contains("already reserved", clash.Errors!["facility"][0], StringComparison.Ordinal);
        await flow.RefuseAsync(first, Pledge(firstWindow, LibraryLiaison, Facility(LectureHall, "12:00", "13:30")), RefusalCode.InvalidInput); // same instance too
        var notTheirs = await flow.RefuseAsync(second, Pledge(window, HospitalLiaison, Facility(LectureHall, "16:00", "17:00")), RefusalCode.InvalidInput);
        Assert.Contains("belongs to another unit", notTheirs.Errors!["facility"][0], StringComparison.Ordinal);
        await flow.RefuseAsync(second, Pledge(window, LibraryLiaison, Facility("fac-nowhere", "16:00", "17:00")), RefusalCode.InvalidInput);

        await flow.SendAsync(second, Pledge(window, LibraryLiaison, Facility(LectureHall, "15:00", "16:00"))); // starts as the other ends
        await flow.SendAsync(second, Pledge(window, LibraryLiaison, Facility(LectureHall, "10:00", "12:30")));

        Assert.Equal(3, (await ReservationsAsync(host, LectureHall)).Count); // 13:00 (first activity), 10:00 and 15:00
        Assert.Equal(2, (await flow.RecordAsync(second, "sign-up"))["count"]!.GetValue<int>());
        await using var db = await host.OpenDbAsync();
        Assert.Equal(0, await db.JournalEvents.CountAsync(e => e.InstanceId == second && e.Type == "ContributionAdded" && e.DataJson.Contains("14:30")));
    }

    [Fact]
    public async Task Two_pledges_of_the_same_facility_at_once_one_wins()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        for (var round = 0; round < 4; round++)
        {
            var date = $"2026-12-{14 + round}";
            var a = await flow.StartAsync(Process, Organiser, Activity(date: date, title: $"活动A{round}"));
            var b = await flow.StartAsync(Process, Organiser, Activity(date: date, title: $"活动B{round}"));
            var windows = new[] { (a, await flow.OpenAsync(a, "sign-up")), (b, await flow.OpenAsync(b, "sign-up")) };

            using var gate = new SemaphoreSlim(0);
            var attempts = windows.Select(async w =>
            {
                await gate.WaitAsync();
                return await flow.TrySendAsync(w.Item1, Pledge(w.Item2, LibraryLiaison, Facility(LectureHall, "09:00", "11:00")));
            }).ToList();
            gate.Release(2);
            var results = await Task.WhenAll(attempts);

            Assert.Single(results, r => r.Succeeded);
            Assert.Single(results, r => r.Refusal == RefusalCode.InvalidInput);
            var reservations = (await ReservationsAsync(host, LectureHall)).Where(r => r.StartsAt.Date == DateTimeOffset.Parse(date + "T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture).Date).ToList();
            var winner = Assert.Single(reservations).InstanceId;
            Assert.Equal(winner == a ? 1 : 0, (await flow.RecordAsync(a, "sign-up"))["count"]!.GetValue<int>());
            Assert.Equal(winner == b ? 1 : 0, (await flow.RecordAsync(b, "sign-up"))["count"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Retracting_a_pledge_or_withdrawing_the_activity_gives_the_facility_back()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow);
        var library = (await flow.RecordAsync(id, "sign-up"))["items"]!.AsArray().Single(i => i!["unit"]!.GetValue<string>() == "unit-district-library")!["index"]!.GetValue<int>();

        await flow.RefuseAsync(id, new RetractContribution(window, HospitalLiaison, library), RefusalCode.NotAllowed);
        await flow.SendAsync(id, new RetractContribution(window, LibraryLiaison, library, "报告厅检修"));
        Assert.Empty(await ReservationsAsync(host, LectureHall));
        Assert.Single(await ReservationsAsync(host, Playground));

        await flow.SendAsync(id, new Withdraw(Organiser, "天气原因取消"));
        Assert.Empty(await ReservationsAsync(host, Playground));
        Assert.Equal(2, (await host.Processes.ReservationsAsync(Playground, activeOnly: false)).Count + (await host.Processes.ReservationsAsync(LectureHall, activeOnly: false)).Count);
    }

    [Fact]
    public async Task Overdue_pledges_are_reminded_and_escalated_and_an_overdue_summary_is_recorded()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await ApprovedAsync(flow);
        var bank = Assert.Single(await flow.OpenItemsAsync(id, "pledge-delivery"), p => p.AssigneeValue == "unit-ccb-binjiang-branch").BookmarkId;
        foreach (var item in (await flow.OpenItemsAsync(id, "pledge-delivery")).Where(p => p.AssigneeKind == "unit" && p.BookmarkId != bank))
        {
            var liaison = item.AssigneeValue switch { School => Organiser, "unit-district-library" => LibraryLiaison, _ => HospitalLiaison };
            await flow.CompleteAsync(id, item.BookmarkId, liaison, "fulfilled");
        }

        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 10, 17, 30, 0, Shanghai));
        Assert.Equal([BankLiaison], (await flow.NotificationsAsync(id)).Where(n => n.Template == "reminder").Select(n => n.RecipientId));
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 14, 17, 30, 0, Shanghai));
        Assert.Equal(["p-office-lu", ProcessDriver.OfficeXie], (await flow.NotificationsAsync(id)).Where(n => n.Template == "escalation").Select(n => n.RecipientId).Order(StringComparer.Ordinal));
        Assert.True(await flow.IsWaitingAtAsync(id, "file-summary"));

        // The summary opened on the 14th, due five working days later (the 21st): reminded the working day before,
        // overdue and escalated to the secretary at its deadline; the organiser's reminder comes once.
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 22, 9, 0, 0, Shanghai));
        var journal = await host.Queries.JournalAsync(id);
        var summary = await flow.OpenAsync(id, "file-summary");
        Assert.Contains(journal, e => e.Type == "TaskOverdue" && e.DataJson.Contains(summary, StringComparison.Ordinal));
        Assert.Contains(journal, e => e.Type == "TaskOverdue" && e.DataJson.Contains(bank, StringComparison.Ordinal));
        var notices = await flow.NotificationsAsync(id);
        Assert.Equal([Organiser, BankLiaison], notices.Where(n => n.Template == "reminder").Select(n => n.RecipientId).Order(StringComparer.Ordinal));
        Assert.Contains(notices, n => n.Template == "escalation" && n.RecipientId == ProcessDriver.Secretary && n.DataJson.Contains(summary, StringComparison.Ordinal));
        Assert.Equal(notices.Count, notices.Select(n => n.UniqueKey).Distinct().Count());
        Assert.True(await flow.IsWaitingAtAsync(id, "file-summary")); // overdue never completes it
    }

    [Fact]
    public async Task Pledge_tracking_closed_early_counts_unconfirmed_pledges_as_not_fulfilled()
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var id = await ApprovedAsync(flow);
        var school = Assert.Single(await flow.OpenItemsAsync(id, "pledge-delivery"), p => p.AssigneeValue == School).BookmarkId;
        await flow.CompleteAsync(id, school, Organiser, "fulfilled");
        var supervision = Assert.Single(await flow.OpenItemsAsync(id, "pledge-delivery"), p => p.AssigneeKind == "role").BookmarkId;

        await flow.CompleteAsync(id, supervision, ProcessDriver.OfficeXie, "close", comment: "活动已结束，其余认领单位未反馈");
        await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 13, 0, 0, 0, Shanghai));
        await flow.CompleteAsync(id, await flow.OpenAsync(id, "file-summary"), Organiser, "file", new JsonObject { ["participants"] = 80, ["summary"] = "举办完成。" });

        Assert.Equal("completed", (await flow.SnapshotAsync(id)).State.Result);
        var hospital = await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, "unit-district-hospital");
        Assert.Equal((1, 0), (hospital.PledgesMade, hospital.PledgesFulfilled));
        Assert.Equal((1, 1), ((await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, School)).PledgesMade, (await host.Processes.CoBuildingRecordAsync(ProcessDriver.Community, School)).PledgesFulfilled));
    }

    [Theory]
    [InlineData("sign-up")]
    [InlineData("office-review")]
    [InlineData("committee-ballot")]
    [InlineData("pledge-delivery")]
    [InlineData("file-summary")]
    public async Task The_organiser_can_withdraw_at_every_waiting_point(string waitingAt)
    {
        var (host, flow) = await StartAsync();
        await using var _ = host;
        var (id, window) = await PledgedAsync(flow, budget: waitingAt == "committee-ballot" ? 30000 : 8000);
        if (waitingAt != "sign-up")
        {
            await flow.CompleteAsync(id, window, Organiser, "close");
        }

        if (waitingAt is "pledge-delivery" or "file-summary")
        {
            await flow.CompleteAsync(id, await flow.OpenAsync(id, "office-review"), ProcessDriver.OfficeXie, "approve");
        }

        if (waitingAt == "file-summary")
        {
            await flow.AdvanceAndFireAsync(id, new DateTimeOffset(2026, 12, 13, 0, 0, 0, Shanghai));
        }

        Assert.True(await flow.IsWaitingAtAsync(id, waitingAt));
        await flow.RefuseAsync(id, new Withdraw(ProcessDriver.OfficeXie), RefusalCode.NotAllowed);
        await flow.SendAsync(id, new Withdraw(Organiser, "活动取消"));

        var snapshot = await flow.SnapshotAsync(id);
        Assert.Equal("withdrawn", snapshot.State.Result);
        Assert.All(snapshot.WorkItems, w => Assert.Equal("closed", w.Status));
        Assert.Empty(await ReservationsAsync(host, Playground));
        Assert.Empty(await ReservationsAsync(host, LectureHall));
        await using var db = await host.OpenDbAsync();
        Assert.Equal(0, await db.Timers.CountAsync(t => t.InstanceId == id && t.Status == TimerStatus.Pending));
        Assert.Equal(0, await db.Set<CoBuildingEntry>().CountAsync(e => e.InstanceId == id));
    }
}

public sealed class SqliteActivityCoOrganisationTests : ActivityCoOrganisationScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlActivityCoOrganisationTests : ActivityCoOrganisationScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
