using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;

namespace WorkflowHost.Persistence.Tests.Support;

/// <summary>
/// The <c>prior-consultations</c> answer computed the way the lookup did before decision 145: every instance of the same
/// process and unit in the year read whole, its state parsed, its nominee and kind compared as trimmed text and the reply
/// number taken from its variables. Tests compare the lookup's stored answer with this one to show the answers did not change.
/// </summary>
public static class PriorConsultationsBefore
{
    public static async Task<JsonObject> AnswerAsync(WorkflowTestHost host, IWorkingCalendar calendar, Guid instanceId)
    {
        await using var db = await host.OpenDbAsync();
        var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == instanceId);
        var own = JsonSerializer.Deserialize<InstanceState>(instance.StateJson, EngineJson.Options)!;
        var nominee = Text(own.Input["nomineeName"]);
        var kind = Text(own.Input["kind"]);
        var year = calendar.YearOf(instance.CreatedAt);
        var from = calendar.At(new DateOnly(year, 1, 1), TimeOnly.MinValue);
        var to = calendar.At(new DateOnly(year + 1, 1, 1), TimeOnly.MinValue);
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.CommunityId == instance.CommunityId && i.DefinitionId == instance.DefinitionId && i.Id != instance.Id
                && i.UnitId == instance.UnitId && i.CreatedAt >= from && i.CreatedAt < to && i.CreatedAt <= instance.CreatedAt)
            .OrderBy(i => i.CreatedAt)
            .ToListAsync();

        var previous = new JsonArray();
        foreach (var row in rows)
        {
            var state = JsonSerializer.Deserialize<InstanceState>(row.StateJson, EngineJson.Options)!;
            if (Text(state.Input["nomineeName"]) != nominee || Text(state.Input["kind"]) != kind)
            {
                continue;
            }

            previous.Add(new JsonObject
            {
                ["instance"] = row.Id.ToString(),
                ["status"] = row.Status,
                ["result"] = row.Result,
                ["startedAt"] = row.CreatedAt,
                ["replyNumber"] = state.Variables.Select(v => v.Value?["document"]?.GetValue<string>() == "consultation-reply" ? v.Value["number"]?.GetValue<string>() : null)
                    .FirstOrDefault(n => n is not null),
            });
        }

        var counted = previous.Count(p => p!["status"]!.GetValue<string>() != "withdrawn");
        var noConsent = previous.Count(p => p!["result"]?.GetValue<string>() == "no-consent");
        return new JsonObject
        {
            ["year"] = year, ["count"] = counted, ["noConsent"] = noConsent, ["flagged"] = counted > 0, ["afterNoConsent"] = noConsent > 0, ["previous"] = previous,
        };
    }

    /// <summary>The lookup's stored answer without what the store adds to every lookup (provider, time), as JSON text.</summary>
    public static string Comparable(JsonObject answer)
    {
        var copy = JsonNode.Parse(answer.ToJsonString(EngineJson.Options))!.AsObject();
        copy.Remove("provider");
        copy.Remove("resolvedAt");
        return copy.ToJsonString(EngineJson.Options);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() is { Length: > 0 } text ? text : null;
}
