using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Api;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Withdrawals;
using WorkflowHost.Persistence;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// Taking back read access on the instance page (docs/decisions/0139): withdraw a copy (撤回抄送) beside each person still
/// copied, end a delegate's reading beside each delegate who handed their task back, each with a reason; and the list of
/// what was taken back, from the journal. The buttons are offered to exactly whom the engine accepts them from
/// (<see cref="Copies.MayCopy"/>, <see cref="ReaderWithdrawals.MayEndReading"/>); the request runs through <see cref="StepCommands"/>.
/// </summary>
public sealed partial class InstanceModel
{
    /// <summary>One withdrawal as journaled: when, which kind (<see cref="JournalEventTypes"/>), by whom, whose, why.</summary>
    public sealed record WithdrawalRecord(DateTimeOffset At, string Type, string By, string Person, string Reason);

    public IReadOnlyList<WithdrawalRecord> Withdrawals { get; private set; } = [];

    /// <summary>People copied whose copy the reader may withdraw now.</summary>
    public IReadOnlyList<string> WithdrawableCopies { get; private set; } = [];

    /// <summary>Delegates who handed their task back and whose reading the reader may end now.</summary>
    public IReadOnlyList<string> EndableReadings { get; private set; } = [];

    /// <summary>The form field an error of a withdrawal stands next to: one per kind and person.</summary>
    public static string WithdrawalField(string kind, string person) => $"{kind}:{person}";

    public Task<IActionResult> OnPostWithdrawCopyAsync(Guid id, string? person, string? reason) =>
        TakeBackAsync(id, "copy", person, reason, (p, r) => new WithdrawCopy(Me.PersonId, p, r));

    public Task<IActionResult> OnPostEndReadingAsync(Guid id, string? person, string? reason) =>
        TakeBackAsync(id, "reading", person, reason, (p, r) => new EndDelegateReading(Me.PersonId, p, r));

    private async Task<IActionResult> TakeBackAsync(Guid id, string kind, string? person, string? reason, Func<string, string, Stimulus> stimulus)
    {
        if (string.IsNullOrWhiteSpace(person))
        {
            return await RefuseAsync(id, null, T.FixErrors);
        }

        var request = new WithdrawReadingRequest(reason?.Trim());
        var validation = await HttpContext.RequestServices.GetRequiredService<IValidator<WithdrawReadingRequest>>().ValidateAsync(request, HttpContext.RequestAborted);
        if (!validation.IsValid)
        {
            return await RefuseAsync(id, WithdrawalField(kind, person), T.FixErrors);
        }

        var commands = HttpContext.RequestServices.GetRequiredService<StepCommands>();
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, stimulus(person, request.Reason!)));
        return answer.Succeeded
            ? Redirect($"/instances/{id}")
            : await RefuseAsync(id, WithdrawalField(kind, person), T.Refused + T.WithdrawalRefusalText(answer.Code), status: answer.Status);
    }

    private async Task LoadWithdrawalsAsync(Guid id, WorkflowDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.JournalEvents.AsNoTracking()
            .Where(e => e.InstanceId == id && (e.Type == JournalEventTypes.CaseCopyWithdrawn || e.Type == JournalEventTypes.DelegateReadingEnded))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.OccurredAt, e.Type, e.DataJson })
            .ToListAsync(cancellationToken);
        Withdrawals = [.. rows.Select(r =>
        {
            var data = JsonNode.Parse(r.DataJson)!.AsObject();
            return new WithdrawalRecord(r.OccurredAt, r.Type, Text(data, "by") ?? "", Text(data, "person") ?? "", Text(data, "reason") ?? "");
        })];

        if (Me.CommunityId == Instance.CommunityId)
        {
            var me = new DirectoryPerson(Me.PersonId, Me.UnitId, Me.Roles.ToHashSet(StringComparer.Ordinal));
            WithdrawableCopies = Copies.MayCopy(State, me) ? [.. State.CopiedTo] : [];
            EndableReadings = [.. ReaderWithdrawals.ReadingDelegates(State)
                .Where(p => ReaderWithdrawals.MayEndReading(State, me, p) && !State.Bookmarks.Exists(b => b.Task?.DelegatedTo == p))];
        }

        var ids = Withdrawals.SelectMany(w => new[] { w.By, w.Person }).Concat(WithdrawableCopies).Concat(EndableReadings)
            .Where(p => !_people.ContainsKey(p)).Distinct().ToList();
        if (ids.Count > 0)
        {
            var english = T.En;
            foreach (var (personId, name) in await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
                         .Select(p => new { p.Id, Name = english ? p.NameEn : p.NameZh }).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken))
            {
                _people[personId] = name;
            }
        }
    }
}
