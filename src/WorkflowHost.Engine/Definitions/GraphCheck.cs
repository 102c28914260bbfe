using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Definitions;

/// <summary>The checks that need the whole graph at once. Each problem comes with the JSON path to show.</summary>
internal static class GraphCheck
{
    public static IEnumerable<(string Path, string Reason)> Problems(WorkflowDefinition definition)
    {
        var activities = definition.Activities;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < activities.Count; i++)
        {
            if (!index.TryAdd(activities[i].Id, i))
            {
                yield return ($"$.activities[{i}].id", $"the activity id '{activities[i].Id}' is used twice");
            }
        }

        if (!index.ContainsKey(definition.Start))
        {
            yield return ("$.start", $"the start activity '{definition.Start}' does not exist");
        }

        var transitions = definition.Transitions;
        for (var t = 0; t < transitions.Count; t++)
        {
            var transition = transitions[t];
            if (!index.TryGetValue(transition.From, out var from))
            {
                yield return ($"$.transitions[{t}].from", $"there is no activity '{transition.From}'");
                continue;
            }

            if (!index.ContainsKey(transition.To))
            {
                yield return ($"$.transitions[{t}].to", $"there is no activity '{transition.To}'");
            }

            var source = activities[from];
            if (!source.DeclaredOutcomes().Contains(transition.Outcome))
            {
                yield return ($"$.transitions[{t}].outcome", source is EndActivity
                    ? $"'{source.Id}' is an end activity; nothing leaves it"
                    : $"'{source.Id}' has no outcome '{transition.Outcome}'; its outcomes are: {string.Join(", ", source.DeclaredOutcomes())}");
            }
        }

        foreach (var group in transitions.GroupBy(t => (t.From, t.Outcome)).Where(g => g.Count() > 1))
        {
            if (index.TryGetValue(group.Key.From, out var i) && !activities[i].FansOut)
            {
                yield return ($"$.activities[{i}]", $"outcome '{group.Key.Outcome}' of '{group.Key.From}' leads to more than one activity; use a parallelSplit to start branches");
            }
        }

        for (var i = 0; i < activities.Count; i++)
        {
            foreach (var outcome in activities[i].DeclaredOutcomes())
            {
                if (!transitions.Any(t => t.From == activities[i].Id && t.Outcome == outcome))
                {
                    yield return ($"$.activities[{i}]", $"no transition handles outcome '{outcome}' of '{activities[i].Id}'");
                }
            }

            if (activities[i] is JoinActivity && transitions.Count(t => t.To == activities[i].Id) < 2)
            {
                yield return ($"$.activities[{i}]", $"join '{activities[i].Id}' needs at least two incoming transitions");
            }
        }

        if (!index.ContainsKey(definition.Start))
        {
            yield break;
        }

        var reachable = Walk([definition.Start], id => transitions.Where(t => t.From == id).Select(t => t.To));
        var ends = activities.Where(a => a is EndActivity).Select(a => a.Id).ToList();
        var canEnd = Walk(ends, id => transitions.Where(t => t.To == id).Select(t => t.From));
        if (ends.Count == 0)
        {
            yield return ("$.activities", "a definition needs at least one end activity");
        }

        foreach (var looping in LoopsWithoutWaiting(definition))
        {
            yield return ($"$.activities[{index[looping]}]",
                $"'{looping}' is on a loop with no task, ballot or timer in it: once entered it would run forever");
        }

        for (var i = 0; i < activities.Count; i++)
        {
            if (!reachable.Contains(activities[i].Id))
            {
                yield return ($"$.activities[{i}]", $"'{activities[i].Id}' cannot be reached from the start activity '{definition.Start}'");
            }
            else if (ends.Count > 0 && !canEnd.Contains(activities[i].Id))
            {
                yield return ($"$.activities[{i}]", $"no path from '{activities[i].Id}' reaches an end activity (a cycle with no exit?)");
            }
        }
    }

    /// <summary>Activities on a cycle made only of steps that never wait (decisions, splits, joins, notices, numbers).</summary>
    private static IEnumerable<string> LoopsWithoutWaiting(WorkflowDefinition definition)
    {
        var instant = definition.Activities
            .Where(a => a is not (HumanTaskActivity or BallotActivity or TimerActivity or TaskPerItemActivity or CollectActivity))
            .Select(a => a.Id)
            .ToHashSet(StringComparer.Ordinal);
        var next = definition.Transitions
            .Where(t => instant.Contains(t.From) && instant.Contains(t.To))
            .GroupBy(t => t.From)
            .ToDictionary(g => g.Key, g => g.Select(t => t.To).Distinct().ToList());

        // An activity is on such a loop when it can reach itself through instant steps only.
        return instant.Where(start =>
            Walk(next.GetValueOrDefault(start) ?? [], id => next.GetValueOrDefault(id) ?? []).Contains(start))
            .Order(StringComparer.Ordinal);
    }

    private static HashSet<string> Walk(IEnumerable<string> from, Func<string, IEnumerable<string>> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(from);
        while (queue.TryDequeue(out var id))
        {
            if (seen.Add(id))
            {
                foreach (var target in next(id))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return seen;
    }
}
