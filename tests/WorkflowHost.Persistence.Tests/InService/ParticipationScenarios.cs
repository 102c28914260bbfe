using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService;

/// <summary>
/// The participation log on a real database: the office's attendance counted once per member and activity (also with the
/// summary naming them again), check-in codes with their window, wrong codes refused and then held back, a second
/// check-in adding nothing, and the community record listing this year's activities.
/// </summary>
public abstract class ParticipationScenarios
{
    private const string Organiser = "p-liaison-han";
    private const string Zhou = "p-inservice-zhou";
    private const string Ye = "p-inservice-ye";
    private const string Huang = "p-inservice-huang";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static ParticipationLog Log(WorkflowTestHost host) => host.Services.GetRequiredService<ParticipationLog>();

    private static async Task<Guid> ActivityAsync(ProcessDriver flow, string title = "社区邻里运动会") =>
        await flow.StartAsync(ParticipationLog.ActivityProcess, Organiser, new JsonObject
        {
            ["title"] = title, ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "12:00", ["place"] = "新华路小学操场",
            ["description"] = "驻区单位与居民共同参加的趣味运动会。", ["budget"] = 3000,
        });

    private static async Task<List<CommunityParticipation>> CountedAsync(WorkflowTestHost host, Guid activity)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Set<CommunityParticipation>().Where(p => p.InstanceId == activity).OrderBy(p => p.PersonId).ToListAsync();
    }

    [Fact]
    public async Task Attendance_is_counted_once_per_member_and_a_stranger_refuses_the_whole_entry()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var activity = await ActivityAsync(new ProcessDriver(host));
        var log = Log(host);

        var refused = await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou, Organiser], []));
        Assert.Equal(LogOutcome.NotRegistered, refused.Outcome);
        Assert.Empty(await CountedAsync(host, activity));
        Assert.Equal(LogOutcome.NotFound, (await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, "another-community", activity, new AttendanceInput([Zhou], []))).Outcome);

        var first = await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou], [Ye]));
        var again = await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou, Ye], [Zhou]));
        Assert.Equal((2, 0), (first.Added, again.Added));
        var counted = await CountedAsync(host, activity);
        Assert.Equal([(Ye, ParticipationRole.Volunteer), (Zhou, ParticipationRole.Participant)], counted.Select(p => (p.PersonId, p.Role)));
        Assert.All(counted, p => Assert.Equal((ParticipationSource.Office, ProcessDriver.OfficeXie, "社区邻里运动会", new DateOnly(2026, 12, 12)),
            (p.Source, p.RecordedBy, p.Title, p.Date)));

        var sheet = await log.SheetAsync(ProcessDriver.Community, activity);
        Assert.Equal(2, sheet!.Activity.Attended);
        Assert.Equal(ParticipationSource.Office, sheet.Members.Single(m => m.PersonId == Zhou).Source);
        Assert.Null(sheet.Members.Single(m => m.PersonId == Huang).Source);
    }

    [Fact]
    public async Task A_check_in_code_counts_a_member_once_within_its_window_and_refuses_a_wrong_or_expired_code()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        var activity = await ActivityAsync(flow);
        var other = await ActivityAsync(flow, "冬季消防安全宣传");
        var log = Log(host);
        var now = host.Time.GetUtcNow();

        Assert.Equal(LogOutcome.Invalid, (await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, now, now.AddHours(13))).Outcome);
        Assert.Equal(LogOutcome.Invalid, (await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, now.AddHours(-3), now.AddHours(-1))).Outcome);
        var opened = await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, now, now.AddHours(2));
        var otherOpened = await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, other, now, now.AddHours(2));
        var code = opened.CheckIn!.Code;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.NotEqual(code, otherOpened.CheckIn!.Code); // open at the same time: never the same code

        Assert.Equal(LogOutcome.NotRegistered, (await log.CheckInAsync(ProcessDriver.Community, Organiser, code)).Outcome);
        var wrong = code == "000000" ? "000001" : "000000";
        Assert.Equal(LogOutcome.WrongCode, (await log.CheckInAsync(ProcessDriver.Community, Zhou, wrong == otherOpened.CheckIn.Code ? "999999" : wrong)).Outcome);

        var first = await log.CheckInAsync(ProcessDriver.Community, Zhou, code);
        var second = await log.CheckInAsync(ProcessDriver.Community, Zhou, $" {code} ");
        Assert.Equal((LogOutcome.Done, 1, "社区邻里运动会"), (first.Outcome, first.Added, first.Title));
        Assert.Equal((LogOutcome.Done, 0), (second.Outcome, second.Added));
        var counted = Assert.Single(await CountedAsync(host, activity));
        Assert.Equal((Zhou, ParticipationSource.CheckIn, Zhou), (counted.PersonId, counted.Source, counted.RecordedBy));

        // The office's attendance afterwards leaves the check-in as it was.
        Assert.Equal(0, (await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou], []))).Added);

        host.Time.Advance(TimeSpan.FromHours(2));
        var expired = await log.CheckInAsync(ProcessDriver.Community, Ye, code);
        Assert.Equal(LogOutcome.NotValidNow, expired.Outcome);
        Assert.Single(await CountedAsync(host, activity));
        Assert.Null((await log.SheetAsync(ProcessDriver.Community, activity))!.Activity.OpenCheckIn);
    }

    [Fact]
    public async Task Wrong_codes_are_held_back_after_five_in_a_quarter_hour_even_the_right_one_and_the_window_moves_on()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var activity = await ActivityAsync(new ProcessDriver(host));
        var log = Log(host);
        var now = host.Time.GetUtcNow();
        var code = (await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, now, now.AddHours(3))).CheckIn!.Code;
        var wrong = Enumerable.Range(100000, 10).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(c => c != code).ToList();

        for (var i = 0; i < ParticipationLog.MaxFailedAttempts; i++)
        {
            Assert.Equal(LogOutcome.WrongCode, (await log.CheckInAsync(ProcessDriver.Community, Ye, wrong[i])).Outcome);
        }

        Assert.Equal(LogOutcome.TooManyAttempts, (await log.CheckInAsync(ProcessDriver.Community, Ye, code)).Outcome);
        Assert.Empty(await CountedAsync(host, activity));
        Assert.Equal(LogOutcome.Done, (await log.CheckInAsync(ProcessDriver.Community, Zhou, code)).Outcome); // another member is not held back

        host.Time.Advance(ParticipationLog.AttemptWindow + TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await log.CheckInAsync(ProcessDriver.Community, Ye, code)).Added);
    }

    [Fact]
    public async Task The_summary_naming_members_already_counted_adds_only_the_others_and_the_community_record_lists_this_year()
    {
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        var activity = await ActivityAsync(flow);
        await Log(host).RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou], []));

        await flow.CompleteAsync(activity, await flow.OpenAsync(activity, "sign-up"), Organiser, "close");
        await flow.CompleteAsync(activity, await flow.OpenAsync(activity, "office-review"), ProcessDriver.OfficeXie, "approve");
        await flow.AdvanceAndFireAsync(activity, new DateTimeOffset(2026, 12, 13, 9, 0, 0, Shanghai));
        await flow.CompleteAsync(activity, await flow.OpenAsync(activity, "file-summary"), Organiser, "file", new JsonObject
        {
            ["participants"] = 60, ["summary"] = "运动会顺利举办。",
            ["inServiceParticipants"] = new JsonArray(new JsonObject { ["member"] = Zhou }, new JsonObject { ["member"] = Ye }),
        });

        var counted = await CountedAsync(host, activity);
        Assert.Equal([(Ye, ParticipationSource.Summary), (Zhou, ParticipationSource.Office)], counted.Select(p => (p.PersonId, p.Source)));

        var thisYear = await Log(host).AttendedAsync(Zhou, 2026);
        Assert.Contains(thisYear, a => a.InstanceId == activity);
        Assert.All(thisYear, a => Assert.Equal(2026, a.Date.Year));

        // The consultation's community record (the default nominee is Zhou) lists this year's activities.
        var input = Consultation.ValidInput();
        input["replyNeededBy"] = "2027-03-31";
        var consultation = await flow.StartAsync("promotion-consultation", Consultation.Liaison, input);
        var record = await flow.RecordAsync(consultation, "community-record");
        var listed = record["activitiesThisYear"]!.AsArray().Select(a => a!["title"]!.GetValue<string>()).ToList();
        Assert.Contains("社区邻里运动会", listed);
        Assert.Equal(thisYear.Count, record["participationsThisYear"]!.GetValue<int>());

        // Chosen from the unit's registered members, the record is matched by the registration, not by the name typed.
        input["nomineeName"] = "小周";
        Assert.False((await flow.RecordAsync(await flow.StartAsync("promotion-consultation", Consultation.Liaison, input), "community-record"))["registered"]!.GetValue<bool>());
        input["nomineeMember"] = Zhou;
        var chosen = await flow.RecordAsync(await flow.StartAsync("promotion-consultation", Consultation.Liaison, input), "community-record");
        Assert.Equal((true, Zhou), (chosen["registered"]!.GetValue<bool>(), chosen["person"]!.GetValue<string>()));
    }
}

public sealed class SqliteParticipationTests : ParticipationScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlParticipationTests : ParticipationScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
