using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Api;

/// <summary>
/// Every collection window (报名、认领) of the published definitions, with who may contribute to it, gathered once per
/// published set instead of walking every definition's activities on every request (issue 18). A new load of the
/// catalog publishes a new collection, which is noticed by reference and gathered again.
/// </summary>
internal static class CollectionWindows
{
    private static volatile Gathered gathered = new([], []);

    /// <summary>The windows <paramref name="caller"/> may contribute to, as <c>definition/activity</c>.</summary>
    public static IReadOnlyList<string> OpenTo(IReadOnlyCollection<WorkflowDefinition> published, Caller caller)
    {
        var known = gathered;
        if (!ReferenceEquals(known.Published, published))
        {
            gathered = known = Gather(published);
        }

        List<string>? open = null;
        foreach (var window in known.Windows)
        {
            if (IsContributor(window.Contributors, caller))
            {
                (open ??= []).Add(window.Key);
            }
        }

        return open is null ? [] : open;
    }

    /// <summary>Windows whose contributors are chosen by role, unit or name; "the initiator" sees the instance anyway.</summary>
    private static bool IsContributor(ParticipantSelector who, Caller caller) =>
        (who.Role is { } role && caller.Has(role))
        || (who.Unit is { } unit && unit != ParticipantSelector.SubmittingUnit && caller.LiaisonOfUnit == unit)
        || (who.Member is { } member && member == caller.PersonId);

    private static Gathered Gather(IReadOnlyCollection<WorkflowDefinition> published) => new(
        published,
        [
            .. from definition in published
               from collect in definition.Activities.OfType<CollectActivity>()
               select new Window(definition.Id + "/" + collect.Id, collect.Contributors),
        ]);

    private sealed record Window(string Key, ParticipantSelector Contributors);

    private sealed record Gathered(IReadOnlyCollection<WorkflowDefinition> Published, Window[] Windows);
}
