using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Copies;
using WorkflowHost.Features.Instances;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// 抄送 on the instance page: who was copied, by whom and when (from the journal), and the form the submitting unit and
/// the office copy people with. The form offers whom the engine would accept (<see cref="Copies.MayCopy"/>, the process's
/// <c>copy</c>); the request is checked by the API's validator and run through <see cref="StepCommands"/>.
/// </summary>
public sealed partial class InstanceModel
{
    /// <summary>One copy as journaled: when, by whom, to whom, with what note.</summary>
    public sealed record CopyRecord(DateTimeOffset At, string By, IReadOnlyList<string> To, string? Note);

    public IReadOnlyList<CopyRecord> CopyRecords { get; private set; } = [];

    /// <summary>Whom the reader may copy now; empty when the form is not theirs.</summary>
    public IReadOnlyList<PersonRef> CopyCandidates { get; private set; } = [];

    public async Task<IActionResult> OnPostCopyAsync(Guid id, string[]? to, string? note)
    {
        var request = new CopyCaseRequest(to is { Length: > 0 } ? [.. to.Where(p => !string.IsNullOrWhiteSpace(p))] : null, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        if (await ValidateAsync(id, request) is { } invalid)
        {
            return invalid;
        }

        var commands = HttpContext.RequestServices.GetRequiredService<StepCommands>();
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, new CopyCase(Me.PersonId, request.To!, request.Note)));
        return answer.Succeeded
            ? Redirect($"/instances/{id}")
            // The refusal's reason next to the choices too (someone already copied is not a missing field).
            : await RefuseAsync(id, answer.Errors.Keys.FirstOrDefault() ?? "to", T.Refused + T.CopyRefusalText(answer.Code), T.CopyRefusalText(answer.Code), answer.Status);
    }

    private async Task LoadCopiesAsync(Guid id, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.JournalEvents.AsNoTracking()
            .Where(e => e.InstanceId == id && e.Type == JournalEventTypes.CaseCopied)
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.OccurredAt, e.DataJson })
            .ToListAsync(cancellationToken);
        CopyRecords = [.. rows.Select(r => JsonNode.Parse(r.DataJson)!.AsObject()).Zip(rows, (data, r) => new CopyRecord(
            r.OccurredAt, data["by"]!.GetValue<string>(), [.. data["to"]!.AsArray().Select(p => p!.GetValue<string>())], data["note"]?.GetValue<string>()))];

        if (Definition?.Copy is not { } rules || Instance.Status != "running" || Me.CommunityId != Instance.CommunityId
            || !Copies.MayCopy(State, new DirectoryPerson(Me.PersonId, Me.UnitId, Me.Roles.ToHashSet(StringComparer.Ordinal))))
        {
            await LoadCopyNamesAsync(db, [], cancellationToken);
            return;
        }

        var directory = await HttpContext.RequestServices.GetRequiredService<DirectoryCache>().GetAsync(db, Instance.CommunityId, cancellationToken);
        var offered = rules.Candidates(State, directory).Where(p => p != Me.PersonId && !State.CopiedTo.Contains(p)).ToList();
        await LoadCopyNamesAsync(db, offered, cancellationToken);
        CopyCandidates = [.. offered.Select(p => new PersonRef(p, PersonName(p))).OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Names for the copies and the candidates, added to the names the move history already read.</summary>
    private async Task LoadCopyNamesAsync(WorkflowDbContext db, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var ids = CopyRecords.SelectMany(c => c.To.Append(c.By)).Concat(candidates).Where(p => !_people.ContainsKey(p)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var english = T.En;
        foreach (var (personId, name) in await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
                     .Select(p => new { p.Id, Name = english ? p.NameEn : p.NameZh }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken))
        {
            _people[personId] = name;
        }
    }
}
