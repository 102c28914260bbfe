using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Timeline;

/// <summary>One journal event as the caller may see it.</summary>
public sealed record TimelineEvent(long Sequence, string Type, DateTimeOffset OccurredAt, JsonObject Data, string Hash);

public sealed record TimelineView(Guid InstanceId, IReadOnlyList<TimelineEvent> Events);

public sealed record VerificationView(Guid InstanceId, bool Intact, int EventsChecked, long? FirstBrokenSequence, string? Problem);

/// <summary>
/// The journal of an instance, and the check of its hash chain. A secret ballot's journal never held a choice; as a
/// second line of defence, any <c>choice</c> or <c>reason</c> on a secret ballot's events is dropped here too. People
/// outside the committee's side (a unit's liaison) see that votes were cast, not by whom or how.
/// </summary>
internal static class TimelineEndpoints
{
    private static readonly string[] VoterFields = ["voter", "choice", "reason", "enteredBy", "attestation", "recused"];

    public static void Map(RouteGroupBuilder api)
    {
        var timeline = api.MapGroup("/instances/{id:guid}/timeline").WithTags("Timeline");

        timeline.MapGet("", async (Guid id, Caller caller, IDbContextFactory<WorkflowDbContext> contexts, CancellationToken cancellationToken) =>
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                if (!await db.Instances.OneVisibleTo(id, db, caller).AnyAsync(cancellationToken))
                {
                    return Problems.NotFound($"There is no instance {id}.");
                }

                var events = await db.JournalEvents.AsNoTracking().Where(e => e.InstanceId == id).OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
                var parsed = events.Select(e => (Event: e, Data: JsonNode.Parse(e.DataJson) as JsonObject ?? [])).ToList();
                var secretBallots = parsed.Where(p => p.Event.Type == JournalEventTypes.BallotOpened && p.Data["secret"]?.GetValue<bool>() == true)
                    .Select(p => p.Data["bookmark"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
                var view = parsed.Select(p => new TimelineEvent(p.Event.Sequence, p.Event.Type, p.Event.OccurredAt,
                    Redact(p.Event.Type, p.Data, secretBallots, caller.SeesBallotDetail), p.Event.Hash)).ToList();
                return Results.Ok(new TimelineView(id, view));
            })
            .WithName("GetTimeline")
            .WithSummary("The journal events of an instance (no secret-ballot choices)")
            .Produces<TimelineView>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        timeline.MapGet("/verification", async (Guid id, Caller caller, IDbContextFactory<WorkflowDbContext> contexts, WorkflowQueries queries, CancellationToken cancellationToken) =>
            {
                await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
                {
                    if (!await db.Instances.OneVisibleTo(id, db, caller).AnyAsync(cancellationToken))
                    {
                        return Problems.NotFound($"There is no instance {id}.");
                    }
                }

                JournalVerification result = await queries.VerifyJournalAsync(id, cancellationToken);
                return Results.Ok(new VerificationView(id, result.Intact, result.EventsChecked, result.FirstBrokenSequence, result.Problem));
            })
            .WithName("VerifyTimeline")
            .WithSummary("Check the journal's hash chain: intact, or the first event that fails")
            .Produces<VerificationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static JsonObject Redact(string type, JsonObject data, HashSet<string?> secretBallots, bool committeeSide)
    {
        var bookmark = data["bookmark"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? data["bookmark"]!.GetValue<string>() : null;
        if (bookmark is not null && secretBallots.Contains(bookmark))
        {
            data.Remove("choice");
            data.Remove("reason");
        }

        if (!committeeSide && type is JournalEventTypes.VoteCast or JournalEventTypes.Recused or JournalEventTypes.BallotOpened)
        {
            foreach (var field in VoterFields)
            {
                data.Remove(field);
            }
        }

        return data;
    }
}
