using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Seeding;

/// <summary>
/// <c>inServiceFeedback</c> in <c>seeds/community.json</c>: last year's annual feedback, run through the process itself
/// (opened as the job opens it, evaluated and issued by the office), so the demo's members carry a real evaluation and
/// letter and the journal holds the steps. Runs once, right after the seeds are loaded into an empty database; a folder
/// without the definition (test hosts with their own processes) skips it.
/// </summary>
internal static class FeedbackSeeds
{
    public static async Task RunAsync(IServiceProvider services, string seedsFolder, ILogger logger, CancellationToken cancellationToken)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(seedsFolder, "community.json"), cancellationToken))!;
        if (root["inServiceFeedback"] is not JsonObject feedback
            || services.GetRequiredService<Definitions.DefinitionCatalog>().Current(AnnualFeedbackOpener.Process) is null)
        {
            return;
        }

        var communityId = root["community"]!["id"]!.GetValue<string>();
        var year = feedback["year"]!.GetValue<int>();
        var commands = services.GetRequiredService<WorkflowCommands>();
        var secretary = (root["people"] as JsonArray ?? []).OfType<JsonObject>()
            .First(p => (p["roles"] as JsonArray ?? []).Any(r => r?.GetValue<string>() == RoleNames.Secretary))["id"]!.GetValue<string>();
        var opened = await commands.StartAsync(new StartCommand(AnnualFeedbackOpener.Process, communityId, secretary,
            new JsonObject { ["year"] = year }, AnnualFeedbackOpener.IdempotencyKey(year)), cancellationToken);
        if (!opened.Succeeded)
        {
            throw new InvalidDataException($"The seeded {year} in-service review could not be opened: {opened.Message}");
        }

        string step;
        await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            step = await db.WorkItems.Where(w => w.InstanceId == opened.InstanceId && w.Status == WorkItemStatus.Open).Select(w => w.BookmarkId).SingleAsync(cancellationToken);
        }

        var evaluations = new JsonArray([.. (feedback["evaluations"] as JsonArray ?? []).OfType<JsonObject>().Select(e => (JsonNode)new JsonObject
        {
            ["member"] = e["personId"]!.GetValue<string>(), ["rating"] = e["rating"]!.GetValue<string>(), ["comment"] = e["comment"]?.GetValue<string>(),
        })]);
        var issued = await commands.ResumeAsync(new ResumeCommand(opened.InstanceId, communityId,
            new CompleteTask(step, feedback["reviewedBy"]!.GetValue<string>(), "issue", null, Data: new JsonObject { ["evaluations"] = evaluations })), cancellationToken);
        if (!issued.Succeeded)
        {
            throw new InvalidDataException($"The seeded {year} feedback letters could not be issued: {issued.Message} {string.Join("; ", issued.Errors?.SelectMany(e => e.Value) ?? [])}");
        }

        // Last year's letters are history in the demo, not news: no liaison is told of them (in the app or by e-mail) on the
        // database's first start.
        await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(cancellationToken))
        {
            var notices = db.Notifications.Where(n => n.CommunityId == communityId && n.Template == FeedbackLetterNotices.Template);
            await db.NotificationDeliveries.Where(d => notices.Any(n => n.Id == d.NotificationId)).ExecuteDeleteAsync(cancellationToken);
            await notices.ExecuteDeleteAsync(cancellationToken);
        }

        logger.LogInformation("Seeded the {Year} in-service review and its feedback letters.", year);
    }
}
