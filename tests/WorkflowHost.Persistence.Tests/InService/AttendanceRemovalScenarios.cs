using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.InService;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.InService;

/// <summary>
/// The office removes a wrongly recorded attendance entry on a real database (decision 139): counts, the member's
/// activities and the community record drop it, the removal keeps what it was, a check-in may record it again, and two
/// removals at once remove it once and tell the member once; a refused removal tells nobody.
/// </summary>
public abstract class AttendanceRemovalScenarios
{
    private const string Organiser = "p-liaison-han";
    private const string Zhou = "p-inservice-zhou";
    private const string Ye = "p-inservice-ye";

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    private static ParticipationLog Log(WorkflowTestHost host) => host.Services.GetRequiredService<ParticipationLog>();

    private static async Task<Guid> ActivityAsync(ProcessDriver flow, string title) =>
        await flow.StartAsync(ParticipationLog.ActivityProcess, Organiser, new JsonObject
        {
            ["title"] = title, ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "12:00", ["place"] = "新华路小学操场",
            ["description"] = "驻区单位与居民共同参加。", ["budget"] = 1000,
        });

    [Fact]
    public async Task A_removed_check_in_leaves_every_count_is_kept_as_a_removal_and_can_be_recorded_again()
    {
        await using var host = await WorkflowTestHost.StartAsync(await CreateDatabaseAsync());
        var flow = new ProcessDriver(host);
        var activity = await ActivityAsync(flow, "误签到的读书会");
        var log = Log(host);
        var now = host.Time.GetUtcNow();
        var code = (await log.OpenCheckInAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, now, now.AddHours(2))).CheckIn!.Code;
        Assert.Equal(1, (await log.CheckInAsync(ProcessDriver.Community, Zhou, code)).Added);
        Assert.Equal(1, (await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([], [Ye]))).Added);

        Assert.Equal(LogOutcome.NotFound, (await log.RemoveAttendanceAsync(ProcessDriver.OfficeXie, "another-community", activity, Zhou, "误签")).Outcome);
        Assert.Equal(LogOutcome.NotCounted, (await log.RemoveAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, "p-inservice-huang", "误签")).Outcome);
        Assert.Equal(2, (await log.SheetAsync(ProcessDriver.Community, activity))!.Activity.Attended);
        Assert.Equal(0, await RemovalNoticesAsync(host));

        host.Time.Advance(TimeSpan.FromMinutes(10));
        var removed = await log.RemoveAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, Zhou, "代人签到，本人未到场");
        Assert.Equal(LogOutcome.Done, removed.Outcome);
        Assert.Equal(LogOutcome.AlreadyRemoved, (await log.RemoveAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, Zhou, "再次")).Outcome);
        await using (var db = await host.OpenDbAsync())
        {
            // The member is told once, with the reason, in the app and on their channels; the refusals told nobody.
            var notice = await db.Notifications.SingleAsync(n => n.Template == AttendanceRemovalNotices.Template);
            Assert.Equal(Zhou, notice.RecipientId);
            var data = JsonNode.Parse(notice.DataJson)!;
            Assert.Equal(("代人签到，本人未到场", "误签到的读书会"), (data["reason"]!.GetValue<string>(), data["title"]!.GetValue<string>()));
            Assert.Contains("代人签到，本人未到场", data["message.zh-CN"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(await db.NotificationDeliveries.AnyAsync(d => d.NotificationId == notice.Id));
        }

        var sheet = (await log.SheetAsync(ProcessDriver.Community, activity))!;
        Assert.Equal(1, sheet.Activity.Attended);
        Assert.Null(sheet.Members.Single(m => m.PersonId == Zhou).Source);
        Assert.DoesNotContain(await log.AttendedAsync(Zhou, 2026), a => a.InstanceId == activity);
        var kept = Assert.Single(await log.RemovalsAsync(ProcessDriver.Community, activity));
        Assert.Equal((Zhou, ParticipationSource.CheckIn, ProcessDriver.OfficeXie, "代人签到，本人未到场", host.Time.GetUtcNow()),
            (kept.PersonId, kept.Source, kept.RemovedBy, kept.Reason, kept.RemovedAt));

        // The consultation's community record (the default nominee is Zhou) no longer lists it.
        var input = Consultation.ValidInput();
        input["replyNeededBy"] = "2027-03-31";
        var record = await flow.RecordAsync(await flow.StartAsync("promotion-consultation", Consultation.Liaison, input), "community-record");
        Assert.DoesNotContain("误签到的读书会", record["activitiesThisYear"]!.AsArray().Select(a => a!["title"]!.GetValue<string>()));

        // Removed, the check-in may be recorded again, and then counts as before.
        Assert.Equal(1, (await log.CheckInAsync(ProcessDriver.Community, Zhou, code)).Added);
        Assert.Equal(2, (await log.SheetAsync(ProcessDriver.Community, activity))!.Activity.Attended);
    }

    [Fact]
    public async Task Two_removals_of_one_entry_at_once_remove_it_once_and_the_other_is_told_it_was_removed()
    {
        await using var host = await WorkflowTestHost.StartAsync(await CreateDatabaseAsync());
        var activity = await ActivityAsync(new ProcessDriver(host), "并发移除测试");
        var log = Log(host);
        await log.RecordAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, new AttendanceInput([Zhou], []));

        using var gate = new SemaphoreSlim(0);
        var removals = Enumerable.Range(0, 2).Select(async _ =>
        {
            await gate.WaitAsync();
            return await log.RemoveAttendanceAsync(ProcessDriver.OfficeXie, ProcessDriver.Community, activity, Zhou, "误勾");
        }).ToList();
        gate.Release(removals.Count);
        var results = await Task.WhenAll(removals);

        Assert.Single(results, r => r.Outcome == LogOutcome.Done);
        Assert.Single(results, r => r.Outcome == LogOutcome.AlreadyRemoved);
        await using var db = await host.OpenDbAsync();
        Assert.Equal(1, await db.Set<AttendanceRemoval>().CountAsync(r => r.InstanceId == activity));
        Assert.False(await db.Set<WorkflowHost.Persistence.Entities.CommunityParticipation>().AnyAsync(p => p.InstanceId == activity));
        Assert.Equal(1, await RemovalNoticesAsync(host));
    }

    private static async Task<int> RemovalNoticesAsync(WorkflowTestHost host)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Notifications.CountAsync(n => n.Template == AttendanceRemovalNotices.Template && n.RecipientId == Zhou);
    }
}

public sealed class SqliteAttendanceRemovalTests : AttendanceRemovalScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlAttendanceRemovalTests : AttendanceRemovalScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
