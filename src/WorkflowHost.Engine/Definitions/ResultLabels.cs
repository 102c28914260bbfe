using System.Runtime.CompilerServices;
using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// The words a definition gives the results of its ends (<c>"result": "registered", "label": 已报到</c>), so a case's
/// result reads as its process says it and not as the stored key. The one place pages, exports and notices ask.
/// </summary>
public static class ResultLabels
{
    // Per definition object, not per id: a revision is immutable once read, and a new revision is a new object, so an
    // entry can never go stale. The table lets a revision that is no longer referenced be collected with its entry.
    private static readonly ConditionalWeakTable<WorkflowDefinition, IReadOnlyDictionary<string, LocalizedText>> ByDefinition = new();

    /// <summary>The label of <paramref name="result"/> in <paramref name="definition"/>; none when no end of it labels that result.</summary>
    public static LocalizedText? Find(WorkflowDefinition? definition, string? result) =>
        definition is null || string.IsNullOrEmpty(result) ? null : ByDefinition.GetValue(definition, Index).GetValueOrDefault(result);

    private static IReadOnlyDictionary<string, LocalizedText> Index(WorkflowDefinition definition)
    {
        // Two ends may share a result; the first labelled one speaks for it, as the copies' outcome notice always did.
        var labels = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        foreach (var end in definition.Activities.OfType<EndActivity>())
        {
            if (end.Label is { } label)
            {
                labels.TryAdd(end.Result, label);
            }
        }

        return labels;
    }
}
