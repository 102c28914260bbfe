using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WorkflowHost.Api;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Ballots;
using WorkflowHost.Features.Instances;
using WorkflowHost.Web;

namespace WorkflowHost.Pages;

/// <summary>
/// The secretary's record of a physical meeting on an open ballot (decision 32): who was present, each member's vote,
/// and the attestation, saved all or nothing through the same command as <c>POST …/meeting-votes</c>; and a single vote
/// cast offline, as <c>POST …/offline-votes</c>. A refusal shows the page again with what was typed and each error next
/// to its field; nothing is stored.
/// </summary>
public sealed class MeetingRecordModel(
    InstanceReader reader, StepCommands commands, IValidator<MeetingVotesRequest> meetingRules, IValidator<OfflineVoteRequest> offlineRules) : WebPageModel
{
    public InstanceView Instance { get; private set; } = null!;

    public StepView Step { get; private set; } = null!;

    public BallotView Ballot => Step.Ballot!;

    /// <summary>The ballot is open and the caller is the one who may record it (the API's link says so).</summary>
    public bool MayRecord => Step.Links?.MeetingVotes is not null;

    public string? Error { get; private set; }

    /// <summary>Error texts by form field: <c>present</c>, <c>attestation</c>, <c>vote.{person}</c>, <c>offline.*</c>.</summary>
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>What was typed, by form field name, to show it again after a refusal.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Ticked { get; } = new(StringComparer.Ordinal);

    public override string Title => T.MeetingRecord;

    public async Task<IActionResult> OnGetAsync(Guid id, string stepId, CancellationToken cancellationToken) =>
        await LoadAsync(id, stepId, cancellationToken) ? Shown() : NotFound();

    /// <summary>Read from the form, never as handler arguments: the votes of a secret ballot must not reach a log (decision 55).</summary>
    public async Task<IActionResult> OnPostRecordAsync(Guid id, string stepId)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        var present = form["present"].Select(p => p ?? "").Where(p => p.Length > 0).ToList();
        Ticked.UnionWith(present);
        var votes = new List<MeetingVoteRequest>();
        foreach (var voter in Ballot.VoterList ?? [])
        {
            var choice = Keep(form, VoteField(voter.Person.Id));
            var reason = Keep(form, ReasonField(voter.Person.Id));
            if (choice.Length > 0)
            {
                votes.Add(new MeetingVoteRequest(voter.Person.Id, choice, reason.Length > 0 ? reason : null));
            }
        }

        var attestation = Keep(form, "attestation");
        var request = new MeetingVotesRequest(present, votes, attestation);
        var checkedRequest = await meetingRules.ValidateAsync(request, cancellationToken);
        if (!checkedRequest.IsValid)
        {
            foreach (var failure in checkedRequest.Errors)
            {
                FieldErrors.TryAdd(FormFieldOf(failure.PropertyName, votes), failure.PropertyName switch
                {
                    "Present" => T.AttendanceRequired,
                    "Votes" => T.VotesRequired,
                    _ when failure.ErrorCode == "MaximumLengthValidator" => T.TooLong(1000),
                    _ => T.FieldRequired,
                });
            }

            return Refused(T.FixErrors);
        }

        var stimulus = new RecordMeetingVotes(Step.StepId, Me.PersonId, [.. present],
            [.. votes.Select(v => new MeetingVote(v.Voter!, v.Choice!, v.Reason))], attestation);
        return await ActAsync(id, stimulus, null, key => FormFieldOf(key, votes));
    }

    public async Task<IActionResult> OnPostOfflineAsync(Guid id, string stepId)
    {
        var cancellationToken = HttpContext.RequestAborted;
        if (!await LoadAsync(id, stepId, cancellationToken))
        {
            return NotFound();
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        var request = new OfflineVoteRequest(Keep(form, "offline.voter"), Keep(form, "offline.choice"), Nullable(Keep(form, "offline.reason")), Keep(form, "offline.attestation"));
        var checkedRequest = await offlineRules.ValidateAsync(request, cancellationToken);
        if (!checkedRequest.IsValid)
        {
            foreach (var failure in checkedRequest.Errors)
            {
                FieldErrors.TryAdd("offline." + failure.PropertyName.ToLowerInvariant(),
                    failure.ErrorCode == "MaximumLengthValidator" ? T.TooLong(1000) : T.FieldRequired);
            }

            return Refused(T.FixErrors);
        }

        var stimulus = new CastVote(Step.StepId, request.Voter!, request.Choice!, request.Reason, Me.PersonId, request.Attestation);
        return await ActAsync(id, stimulus, RoleNames.Secretary, key => "offline." + key);
    }

    public static string VoteField(string person) => "vote." + person;

    public static string ReasonField(string person) => "reason." + person;

    public string? ErrorFor(string field) => FieldErrors.GetValueOrDefault(field);

    private async Task<IActionResult> ActAsync(Guid id, Stimulus stimulus, string? onlyRole, Func<string, string> fieldOf)
    {
        var answer = CommandAnswer.From(await commands.RunAsync(HttpContext, Me, id, stimulus, onlyRole: onlyRole));
        if (answer.Succeeded)
        {
            return Redirect($"/work/{id}/{Uri.EscapeDataString(Step.StepId)}?saved=true");
        }

        foreach (var key in answer.Errors.Keys)
        {
            var field = fieldOf(key);
            FieldErrors.TryAdd(field, field.StartsWith("vote.", StringComparison.Ordinal) || field == "offline.voter" ? T.VoteNotValid : T.FieldRequired);
        }

        return Refused(T.Refused + T.RefusalText(answer.Code), answer.Status);
    }

    /// <summary>The engine and the validator name a vote by its place in the list (<c>votes[2]</c>); the page by its member.</summary>
    private static string FormFieldOf(string key, List<MeetingVoteRequest> votes)
    {
        var name = key.Replace("Votes", "votes", StringComparison.Ordinal);
        if (name.StartsWith("votes[", StringComparison.Ordinal) && name.IndexOf(']', StringComparison.Ordinal) is var end and > 6
            && int.TryParse(name.AsSpan(6, end - 6), System.Globalization.CultureInfo.InvariantCulture, out var index) && index < votes.Count)
        {
            return VoteField(votes[index].Voter!);
        }

        return name.ToLowerInvariant() switch
        {
            var p when p.StartsWith("present", StringComparison.Ordinal) => "present",
            "votes" => "present",
            var other => other,
        };
    }

    private string Keep(IFormCollection form, string field)
    {
        var value = form[field].ToString().Trim();
        Values[field] = value;
        return value;
    }

    private static string? Nullable(string text) => text.Length > 0 ? text : null;

    /// <summary>The page again with the errors, answering the API's status for the same refusal (400 by default).</summary>
    private PageResult Refused(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        return RefusedPage(status);
    }

    private PageResult Shown()
    {
        if (!MayRecord)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, string stepId, CancellationToken cancellationToken)
    {
        if (await reader.GetAsync(Me, id, cancellationToken) is not { } instance)
        {
            return false;
        }

        Instance = instance;
        Step = instance.CurrentSteps.Concat(instance.PastSteps).FirstOrDefault(s => s.StepId == stepId && s.Ballot is not null)!;
        return Step is not null;
    }
}
