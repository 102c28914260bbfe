using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// 请假 / 代理 as the engine applies it (docs/decisions/0118): a task assigned to a person by name who is away today goes
/// to their deputy; a task offered to a role or unit skips the people who are away (they are not reminded, cannot claim
/// it, and it cannot be transferred to them). Ballots are never touched: a member on leave stays a voter and in the
/// eligible count, and nobody votes for them (BallotActivity.WrittenOpinions.cs).
/// </summary>
internal static class Absences
{
    /// <summary>Today in the community's calendar: a leave is a range of calendar days, not of instants.</summary>
    public static DateOnly Today(ExecutionScope scope) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(scope.Now, scope.Context.Calendar.TimeZone).DateTime);

    public static bool IsAway(ExecutionScope scope, string personId) =>
        scope.Context.Directory.Find(personId)?.IsAwayOn(Today(scope)) == true;

    /// <summary>
    /// The assignment a new task gets: unchanged, unless it names one person who is away today with a deputy who is not
    /// away too; then the deputy's, journaled so the instance shows whom the task was meant for.
    /// </summary>
    public static Assignment Route(ExecutionScope scope, Bookmark bookmark, Assignment assignment)
    {
        if (assignment.Kind != AssignmentKind.Person || scope.Context.Directory.Find(assignment.Value) is not { Absence: { } away } person
            || !person.IsAwayOn(Today(scope)) || away.DeputyId is not { } deputyId || IsAway(scope, deputyId)
            || scope.Context.Directory.Find(deputyId) is null)
        {
            return assignment;
        }

        scope.Journal(JournalEventTypes.TaskRoutedToDeputy, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["for"] = person.Id, ["deputy"] = deputyId, ["awayUntil"] = away.LastDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        });
        return new Assignment(AssignmentKind.Person, deputyId);
    }

    /// <summary>The people of a role or unit who are not away today: those a task offered to them is really offered to.</summary>
    public static IReadOnlyList<string> Present(ExecutionScope scope, IEnumerable<string> people)
    {
        var today = Today(scope);
        return [.. people.Where(id => scope.Context.Directory.Find(id)?.IsAwayOn(today) != true)];
    }

    public static Refusal Away(string personId, DirectoryPerson? person) =>
        new(RefusalCode.NotAllowed, $"'{personId}' is on leave until {person?.Absence?.LastDay:yyyy-MM-dd}; a task offered to a role skips them.");

    public const string RoutedTemplate = "task-routed-to-deputy";

    /// <summary>
    /// A leave started while tasks were open (docs/decisions/0132): each task assigned to the person by name goes to their
    /// deputy (journaled as at opening, with <c>open: true</c>, and the deputy is notified); each role or unit task they
    /// hold is offered back to the others (<c>TaskOfferedBack</c>, reason <c>leave</c>). Opinion tasks (加签) stay: the
    /// holder asked that person, and the opinion's deadline ends the wait. Nothing moves back when the leave ends.
    /// </summary>
    public static Refusal? RouteOpenTasks(ExecutionScope scope, RouteForLeave leave)
    {
        if (scope.Context.Directory.Find(leave.PersonId) is not { Absence: { } away } person || !person.IsAwayOn(Today(scope)))
        {
            return new Refusal(RefusalCode.NotAllowed, $"'{leave.PersonId}' is not on leave today.");
        }

        var moved = 0;
        foreach (var bookmark in scope.State.Bookmarks.Where(b => b.Task is { SignerFor: null }).ToList())
        {
            var task = bookmark.Task!;
            scope.At(scope.Definition.GetActivity(bookmark.ActivityId));
            if (task.Assignee.Kind == AssignmentKind.Person && task.Assignee.Value == person.Id)
            {
                moved += ToDeputy(scope, bookmark, person, away) ? 1 : 0;
            }
            else if (task.Holder == person.Id && task.DelegatedTo is null)
            {
                TaskHolding.OfferBackForLeave(scope, bookmark);
                moved++;
            }
        }

        return moved > 0 ? null : new Refusal(RefusalCode.NotFound, $"'{leave.PersonId}' has no open task here that a leave moves.");
    }

    private static bool ToDeputy(ExecutionScope scope, Bookmark bookmark, DirectoryPerson person, PersonAbsence away)
    {
        if (away.DeputyId is not { } deputyId || IsAway(scope, deputyId) || scope.Context.Directory.Find(deputyId) is null)
        {
            return false;
        }

        var deputy = new Assignment(AssignmentKind.Person, deputyId);
        bookmark.Task = bookmark.Task! with { Assignee = deputy, Holder = null, Touched = false };
        scope.Emit(new TaskReassigned(bookmark.Id, deputy));
        scope.Emit(new TaskHoldingChanged(bookmark.Id, null, bookmark.Task.DelegatedTo));
        scope.Journal(JournalEventTypes.TaskRoutedToDeputy, new JsonObject
        {
            ["bookmark"] = bookmark.Id, ["for"] = person.Id, ["deputy"] = deputyId,
            ["awayUntil"] = away.LastDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["open"] = true,
        });
        TaskHolding.NotifyOf(scope, bookmark, RoutedTemplate, deputyId, person.Id);
        return true;
    }
}
