using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;

namespace WorkflowHost.Pages;

/// <summary>
/// The history of moves of the instance's tasks (claimed, released, offered back, transferred, delegated, handed back,
/// sent to a deputy), from its journal. These events carry no ballot data, so reading them needs no secret-ballot filter.
/// </summary>
public sealed partial class InstanceModel
{
    private static readonly string[] MoveTypes =
    [
        JournalEventTypes.TaskClaimed, JournalEventTypes.TaskReleased, JournalEventTypes.TaskOfferedBack, JournalEventTypes.TaskTransferred,
        JournalEventTypes.TaskDelegated, JournalEventTypes.TaskDelegationReturned, JournalEventTypes.TaskRoutedToDeputy,
        JournalEventTypes.SignersAdded, JournalEventTypes.SignerOpinionGiven, JournalEventTypes.SignerOpinionMissed,
    ];

    /// <summary>One move: when, what, on which step, by and to whom, why.</summary>
    public sealed record TaskMove(DateTimeOffset At, string Type, string Step, string? By, string? To, string? Why);

    public IReadOnlyList<TaskMove> Moves { get; private set; } = [];

    private Dictionary<string, string> _people = new(StringComparer.Ordinal);

    /// <summary>A person of a move by name in the reader's language; the id when the directory no longer has them.</summary>
    public string PersonName(string? id) => id is null ? "" : _people.GetValueOrDefault(id, id);

    private async Task LoadMovesAsync(Guid id, CancellationToken cancellationToken)
    {
        var contexts = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.JournalEvents.AsNoTracking()
            .Where(e => e.InstanceId == id && MoveTypes.Contains(e.Type))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.OccurredAt, e.Type, e.DataJson })
            .ToListAsync(cancellationToken);
        var names = Instance.CurrentSteps.Concat(Instance.PastSteps).ToDictionary(s => s.StepId, s => s.Name?.For(T.Language) ?? s.Activity, StringComparer.Ordinal);
        Moves = [.. rows.Select(r =>
        {
            var data = JsonNode.Parse(r.DataJson)!.AsObject();
            var step = Text(data, "bookmark") ?? "";
            return new TaskMove(r.OccurredAt, r.Type, names.GetValueOrDefault(step, step),
                Text(data, "by") ?? Text(data, "from") ?? Text(data, "for"), Text(data, "to") ?? Text(data, "deputy") ?? Text(data, "signer"),
                Text(data, "reason") ?? Text(data, "note") ?? Text(data, "question") ?? Text(data, "opinion"));
        })];
        var ids = Moves.SelectMany(m => new[] { m.By, m.To }).OfType<string>().Distinct().ToList();
        var english = T.En;
        _people = ids.Count == 0 ? _people : await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => english ? p.NameEn : p.NameZh, StringComparer.Ordinal, cancellationToken);
        await LoadCopiesAsync(id, db, cancellationToken);
        await LoadWithdrawalsAsync(id, db, cancellationToken);
    }

    private static string? Text(JsonObject data, string key) => data[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
