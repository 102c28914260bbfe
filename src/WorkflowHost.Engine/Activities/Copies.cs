using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// 抄送 (docs/decisions/0131): copying people on a case gives them read access (<see cref="CaseReadersAdded"/>) and a
/// notice, now and again at the outcome. It is journaled with who copied whom; nobody copied gets a task.
/// </summary>
public static class Copies
{
    public const string CopiedTemplate = "case-copied";
    public const string OutcomeTemplate = "case-outcome";

    internal static Refusal? Copy(ExecutionScope scope, CopyCase copy)
    {
        if (scope.Definition.Copy is not { } rules)
        {
            return new Refusal(RefusalCode.NotAllowed, $"The process '{scope.Definition.Id}' does not let its cases be copied.");
        }

        var actor = scope.Context.Directory.Find(copy.ActorId);
        if (!MayCopy(scope.State, actor))
        {
            return new Refusal(RefusalCode.NotAllowed, "Only the submitting unit and the office copy people on a case.");
        }

        var people = copy.To.Distinct(StringComparer.Ordinal).ToList();
        if (people.Count == 0 || people.Count > CopyCase.MaxPeople)
        {
            var message = $"Name between 1 and {CopyCase.MaxPeople.ToString(CultureInfo.InvariantCulture)} people to copy.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["to"] = [message] });
        }

        if (copy.Note is { Length: > CopyCase.MaxNoteLength })
        {
            var message = $"Give a note of at most {CopyCase.MaxNoteLength.ToString(CultureInfo.InvariantCulture)} characters.";
            return new Refusal(RefusalCode.InvalidInput, message, new Dictionary<string, string[]> { ["note"] = [message] });
        }

        var allowed = rules.To.SelectMany(s => s.ResolvePeople(scope.State, scope.Context.Directory)).ToHashSet(StringComparer.Ordinal);
        if (people.FirstOrDefault(p => p == copy.ActorId || !allowed.Contains(p)) is { } notAllowed)
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{notAllowed}' may not be copied on a '{scope.Definition.Id}' case.");
        }

        if (people.FirstOrDefault(scope.State.CopiedTo.Contains) is { } already)
        {
            return new Refusal(RefusalCode.AlreadyCopied, $"'{already}' is already copied on this case.");
        }

        var copiedBefore = people.Where(scope.State.CopiesWithdrawn.Contains).ToHashSet(StringComparer.Ordinal);
        scope.State.CopiedTo.AddRange(people);
        scope.State.CopiesWithdrawn.RemoveAll(people.Contains);
        scope.Emit(new CaseReadersAdded(people, CaseReaderReason.Copied, copy.ActorId));
        scope.Journal(JournalEventTypes.CaseCopied, new JsonObject
        {
            ["by"] = copy.ActorId, ["to"] = new JsonArray([.. people.Select(p => JsonValue.Create(p))]), ["note"] = copy.Note,
        });
        // A person is copied once per case (refused above otherwise), so the key needs no sequence of its own; taking one
        // would shift the ids of every later step. Only a copy given again after a withdrawal (decision 139) takes one, or
        // its notice would reuse the first copy's key.
        foreach (var person in people)
        {
            var step = copiedBefore.Contains(person) ? $"copied~{scope.State.NextSequence++.ToString(CultureInfo.InvariantCulture)}" : "copied";
            Notify(scope, CopiedTemplate, person, step, copy.Note);
        }

        return null;
    }

    /// <summary>
    /// The two sides of a case: its initiator and the other liaisons of the submitting unit, and the office of its
    /// community. Public so the pages offer the form to exactly the people the engine accepts it from.
    /// </summary>
    public static bool MayCopy(InstanceState state, DirectoryPerson? actor) => actor is not null
        && (actor.Id == state.Initiator.PersonId
            || (state.Initiator.UnitId is { } unit && actor.UnitId == unit && actor.HasRole(RoleNames.UnitLiaison))
            || actor.HasRole(RoleNames.Office));

    /// <summary>The case ended (decided, withdrawn): everyone copied is told its result, once each.</summary>
    internal static void NotifyOutcome(ExecutionScope scope)
    {
        foreach (var person in scope.State.CopiedTo)
        {
            Notify(scope, OutcomeTemplate, person, "outcome", reason: null);
        }
    }

    /// <summary>The label of the end that gave the case its result; none for a withdrawal or an unlabelled end.</summary>
    private static Definitions.LocalizedText? ResultLabel(ExecutionScope scope) =>
        Definitions.ResultLabels.Find(scope.Definition, scope.State.Result);

    private static void Notify(ExecutionScope scope, string template, string recipient, string step, string? reason)
    {
        var data = new JsonObject
        {
            ["kind"] = template,
            ["instance"] = scope.State.InstanceId.ToString(),
            ["process"] = scope.Definition.Id,
            ["processName.zh-CN"] = scope.Definition.Name.ZhCn,
            ["processName.en"] = scope.Definition.Name.En,
            ["status"] = scope.State.Status.ToString().ToLowerInvariant(),
            ["result"] = scope.State.Result,
            ["reason"] = reason,
        };
        if (template == OutcomeTemplate && ResultLabel(scope) is { } label)
        {
            // The words the definition gives its end, so the notice reads "已批准" rather than the key "approved".
            data["resultLabel.zh-CN"] = label.ZhCn;
            data["resultLabel.en"] = label.En;
        }

        scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{step}/{recipient}", recipient, template, data));
    }
}
