using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Engine.Time;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Participants;

namespace WorkflowHost.Pages;

/// <summary>
/// 加签 on the task page (docs/decisions/0120): the holder asks people the process allows for an opinion, with a question
/// and a deadline no later than the process's; the page shows each opinion as it arrives and that the task waits. A
/// signer answers on the same page, the opinion task's form. Requests go through the API's validator and
/// <see cref="Api.StepCommands"/>, as the other moves do.
/// </summary>
public sealed partial class WorkModel
{
    /// <summary>One opinion asked on this task: of whom, what, by when, and the answer once given (or missed).</summary>
    public sealed record OpinionRequest(string Task, string Signer, string? Question, DateTimeOffset DueAt, string? Opinion, bool Missed);

    /// <summary>Whom the holder may ask now; empty when the form is not theirs.</summary>
    public IReadOnlyList<PersonRef> SignerCandidates { get; private set; } = [];

    /// <summary>The latest deadline the holder may give, in the community's time: the process's <c>due</c> from now.</summary>
    public DateTimeOffset? LatestOpinionDue { get; private set; }

    public IReadOnlyList<OpinionRequest> OpinionRequests { get; private set; } = [];

    /// <summary>The task is an opinion task (加签) asked of the reader or someone else: answered with a text, nothing else.</summary>
    public bool IsOpinionTask => State?.FindBookmark(Step.StepId)?.Task?.SignerFor is not null
        || OpinionAsked is not null;

    /// <summary>On an opinion task: the request it answers (the question, who asked, by when).</summary>
    public OpinionRequest? OpinionAsked { get; private set; }

    /// <summary>The holder's task still waits for opinions (it cannot be completed until they are in or overdue).</summary>
    public bool AwaitingOpinions => State?.FindBookmark(Step.StepId)?.Task?.AwaitingSigners is { Count: > 0 };

    private Dictionary<string, string> _signerNames = new(StringComparer.Ordinal);

    public string SignerName(string id) => _signerNames.GetValueOrDefault(id, id);

    public async Task<IActionResult> OnPostSignersAsync(Guid id, string stepId, string[]? signers, string? question, string? dueAt)
    {
        DateTimeOffset? due = null;
        if (!string.IsNullOrWhiteSpace(dueAt))
        {
            if (!DateTime.TryParse(dueAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                FieldErrors = new Dictionary<string, string[]> { ["dueAt"] = [T.FieldRequired] };
                Error = T.FixErrors;
                return await RefusedPageAsync(id, stepId, StatusCodes.Status400BadRequest);
            }

            var zone = HttpContext.RequestServices.GetRequiredService<IWorkingCalendar>().TimeZone;
            due = new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        var request = new AddSignersRequest(signers is { Length: > 0 } ? [.. signers.Where(s => !string.IsNullOrWhiteSpace(s))] : null, Blank(question), due);
        return await ValidateAsync(id, stepId, request)
            ?? await MoveAsync(id, stepId, new AddSigners(stepId, Me.PersonId, request.Signers!, request.Question, request.DueAt));
    }

    /// <summary>Reads the opinions asked on this step (or the one this opinion task answers) and whom the holder may ask.</summary>
    private async Task LoadSignersAsync(CancellationToken cancellationToken)
    {
        if (Step is null || State is null || Definition?.FindActivity(Step.Activity) is not HumanTaskActivity activity)
        {
            return;
        }

        var record = State.Variables[Step.Activity];
        var given = (record?["opinions"] as JsonArray)?.OfType<JsonObject>().ToDictionary(o => o["task"]!.GetValue<string>(), o => o["text"]!.GetValue<string>(), StringComparer.Ordinal)
            ?? [];
        var all = (record?["opinionRequests"] as JsonArray)?.OfType<JsonObject>().Select(r => (Asking: r["bookmark"]!.GetValue<string>(), Request: new OpinionRequest(
            r["task"]!.GetValue<string>(), r["signer"]!.GetValue<string>(), r["question"]?.GetValue<string>(), r["dueAt"]!.GetValue<DateTimeOffset>(),
            given.GetValueOrDefault(r["task"]!.GetValue<string>()), false))).ToList() ?? [];
        var open = State.Bookmarks.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        OpinionRequests = [.. all.Where(r => r.Asking == Step.StepId).Select(r => r.Request with { Missed = r.Request.Opinion is null && !open.Contains(r.Request.Task) })];
        OpinionAsked = all.Select(r => r.Request).FirstOrDefault(r => r.Task == Step.StepId);

        var task = Step.Task;
        var inHand = task?.Holder?.Id ?? (task?.AssigneeKind == "person" ? task.Assignee : null);
        var mayAsk = Step.Status == "open" && activity.Moves?.AddSigners is not null && !IsOpinionTask && inHand == Me.PersonId && task?.Delegate is null;
        if (OpinionRequests.Count == 0 && OpinionAsked is null && !mayAsk)
        {
            return;
        }

        var contexts = HttpContext.RequestServices.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = new List<string>();
        if (mayAsk && activity.Moves!.AddSigners is { } rules)
        {
            var directory = await HttpContext.RequestServices.GetRequiredService<DirectoryCache>().GetAsync(db, Instance.CommunityId, cancellationToken);
            candidates = [.. rules.Candidates(State, directory).Where(p => p != Me.PersonId)];
            LatestOpinionDue = rules.Due.AddTo(Now, HttpContext.RequestServices.GetRequiredService<IWorkingCalendar>());
        }

        var ids = candidates.Concat(OpinionRequests.Select(r => r.Signer)).Concat(OpinionAsked is null ? [] : [OpinionAsked.Signer]).Distinct().ToList();
        var english = T.En;
        _signerNames = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => english ? p.NameEn : p.NameZh, StringComparer.Ordinal, cancellationToken);
        SignerCandidates = [.. candidates.Select(p => new PersonRef(p, SignerName(p)))];
    }

    /// <summary>A time as a <c>datetime-local</c> value in the community's time zone.</summary>
    public string LocalInputValue(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, HttpContext.RequestServices.GetRequiredService<IWorkingCalendar>().TimeZone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}
