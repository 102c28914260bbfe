using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>Drives any process through the store as the host would: commands in, snapshots and rows out, timers fired like the sweep.</summary>
public sealed class ProcessDriver(WorkflowTestHost host)
{
    public const string Community = "binhe";
    public const string Secretary = "p-secretary-wang";
    public const string OfficeXie = "p-office-xie";
    public const string Street = "p-street-qian";

    public WorkflowTestHost Host => host;

    public async Task<Guid> StartAsync(string definition, string initiator, JsonObject input)
    {
        var result = await host.Commands.StartAsync(new StartCommand(definition, Community, initiator, input));
        Assert.True(result.Succeeded, $"{result.Refusal}: {result.Message} {string.Join("; ", result.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [])}");
        return result.InstanceId;
    }

    public Task<CommandResult> TrySendAsync(Guid instanceId, Stimulus stimulus, string? key = null) =>
        host.Commands.ResumeAsync(new ResumeCommand(instanceId, Community, stimulus, key));

    public async Task SendAsync(Guid instanceId, Stimulus stimulus)
    {
        var result = await TrySendAsync(instanceId, stimulus);
        Assert.True(result.Succeeded, $"{stimulus.Kind} refused: {result.Refusal}: {result.Message} {string.Join("; ", result.Errors?.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}") ?? [])}");
    }

    /// <summary>A stimulus that must be refused with <paramref name="code"/>, leaving the instance row exactly as it was.</summary>
    public async Task<CommandResult> RefuseAsync(Guid instanceId, Stimulus stimulus, RefusalCode code)
    {
        await using var db = await host.OpenDbAsync();
        var before = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == instanceId);
        var result = await TrySendAsync(instanceId, stimulus);
        Assert.Equal(code, result.Refusal);
        var after = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == instanceId);
        Assert.Equal((before.Version, before.JournalSequence, before.StateJson), (after.Version, after.JournalSequence, after.StateJson));
        return result;
    }

    public async Task<InstanceSnapshot> SnapshotAsync(Guid instanceId) => (await host.Queries.GetAsync(instanceId))!;

    public async Task<JsonObject> RecordAsync(Guid instanceId, string activityId) =>
        (await SnapshotAsync(instanceId)).State.Variables[activityId]!.AsObject();

    /// <summary>The one open work item of <paramref name="activityId"/>.</summary>
    public async Task<string> OpenAsync(Guid instanceId, string activityId)
    {
        var snapshot = await SnapshotAsync(instanceId);
        return Assert.Single(snapshot.WorkItems, w => w.ActivityId == activityId && w.Status == "open").BookmarkId;
    }

    public async Task<IReadOnlyList<WorkItem>> OpenItemsAsync(Guid instanceId, string activityId) =>
        [.. (await SnapshotAsync(instanceId)).WorkItems.Where(w => w.ActivityId == activityId && w.Status == "open")];

    public async Task<bool> IsWaitingAtAsync(Guid instanceId, string activityId) =>
        (await SnapshotAsync(instanceId)).State.Bookmarks.Exists(b => b.ActivityId == activityId);

    public Task CompleteAsync(Guid instanceId, string bookmark, string actor, string outcome, JsonObject? data = null, string? comment = null) =>
        SendAsync(instanceId, new CompleteTask(bookmark, actor, outcome, comment, Data: data));

    public async Task VoteAsync(Guid instanceId, string ballot, IEnumerable<string> voters, string choice)
    {
        foreach (var voter in voters)
        {
            await SendAsync(instanceId, new CastVote(ballot, voter, choice));
        }
    }

    /// <summary>Moves the clock and fires every pending timer of the instance that is due, oldest first, as the sweep would.</summary>
    public async Task AdvanceAndFireAsync(Guid instanceId, DateTimeOffset to)
    {
        host.Time.SetUtcNow(to.ToUniversalTime());
        for (var round = 0; round < 20; round++)
        {
            await using var db = await host.OpenDbAsync();
            var due = await db.Timers.AsNoTracking()
                .Where(t => t.InstanceId == instanceId && t.Status == TimerStatus.Pending)
                .ToListAsync();
            var fire = due.Where(t => t.DueAt <= to).OrderBy(t => t.DueAt).ThenBy(t => t.TimerId, StringComparer.Ordinal).ToList();
            if (fire.Count == 0)
            {
                return;
            }

            foreach (var timer in fire)
            {
                await TrySendAsync(instanceId, new FireTimer(timer.TimerId));
            }
        }
    }

    public async Task<IReadOnlyList<string>> CommitteeAsync()
    {
        await using var db = await host.OpenDbAsync();
        return await db.PersonRoles.Where(r => r.Role == "committee-member").Select(r => r.PersonId).OrderBy(id => id).ToListAsync();
    }

    public async Task<IReadOnlyList<Notification>> NotificationsAsync(Guid instanceId)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Notifications.AsNoTracking().Where(n => n.InstanceId == instanceId).ToListAsync();
    }

    public async Task<IReadOnlyList<string>> JournalTypesAsync(Guid instanceId) =>
        [.. (await host.Queries.JournalAsync(instanceId)).Select(e => e.Type)];
}
