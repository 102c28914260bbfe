using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>Drives the promotion consultation as its users would, in the seed community.</summary>
public sealed class Consultation(WorkflowTestHost host)
{
    public const string Community = "binhe";
    public const string Liaison = "p-liaison-gao";
    public const string LiaisonsUnitMember = "p-member-liu";
    public const string Office = "p-office-xie";
    public const string Secretary = "p-secretary-wang";

    public static JsonObject ValidInput() => new()
    {
        ["kind"] = "promotion",
        ["nomineeName"] = "周立新",
        ["nomineePost"] = "科长",
        ["proposedPost"] = "副局长",
        ["partyMembership"] = "full-member",
        ["reason"] = "工作扎实，积极参加社区志愿服务。",
        ["replyNeededBy"] = "2026-12-31",
    };

    public async Task<Guid> SubmitAsync(JsonObject? input = null, string liaison = Liaison, string? idempotencyKey = null)
    {
        var result = await host.Commands.StartAsync(new StartCommand("promotion-consultation", Community, liaison, input ?? ValidInput(), idempotencyKey));
        Assert.True(result.Succeeded, result.Message);
        return result.InstanceId;
    }

    public async Task<string> OpenBookmarkAsync(Guid instanceId, string activityId)
    {
        var snapshot = await host.Queries.GetAsync(instanceId);
        var item = Assert.Single(snapshot!.WorkItems, w => w.ActivityId == activityId && w.Status == "open");
        return item.BookmarkId;
    }

    public Task<CommandResult> CompleteAsync(Guid instanceId, string bookmarkId, string actor, string outcome, JsonObject? amended = null, string? key = null) =>
        host.Commands.ResumeAsync(new ResumeCommand(instanceId, Community, new CompleteTask(bookmarkId, actor, outcome, null, amended), key));

    public async Task<string> AcceptAsync(Guid instanceId)
    {
        var check = await OpenBookmarkAsync(instanceId, "office-check");
        var result = await CompleteAsync(instanceId, check, Office, "accept");
        Assert.True(result.Succeeded, result.Message);
        return await OpenBookmarkAsync(instanceId, "committee-ballot");
    }

    public Task<CommandResult> VoteAsync(Guid instanceId, string ballot, string voter, string choice, string? key = null) =>
        host.Commands.ResumeAsync(new ResumeCommand(instanceId, Community, new CastVote(ballot, voter, choice), key));

    public async Task<IReadOnlyList<string>> CommitteeAsync()
    {
        await using var db = await host.OpenDbAsync();
        return await db.PersonRoles.Where(r => r.Role == "committee-member").Select(r => r.PersonId).OrderBy(id => id).ToListAsync();
    }

    /// <summary>The 13 members left once the submitting unit's member is recused.</summary>
    public async Task<IReadOnlyList<string>> EligibleAsync() => [.. (await CommitteeAsync()).Where(m => m != LiaisonsUnitMember)];
}
