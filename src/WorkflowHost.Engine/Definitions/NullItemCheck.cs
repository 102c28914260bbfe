using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// Finds <c>null</c> written as a list item or a map value (<c>"transitions": [null]</c>, <c>"content": {"a": null}</c>).
/// The serializer checks nullability of properties only, so such a hole would reach the validator and the runner as a
/// null record. Walks the read definition through the serializer's own contract, so paths use the file's names.
/// </summary>
internal static class NullItemCheck
{
    public static IEnumerable<(string Path, string Reason)> Problems(WorkflowDefinition definition) =>
        Walk(definition, "$", depth: 0);

    private static IEnumerable<(string Path, string Reason)> Walk(object? value, string path, int depth)
    {
        // The reader refuses JSON deeper than 32 levels, so the graph is shallow; the bound only guards against a cycle.
        if (value is null || depth > 64 || value is string or JsonElement || value.GetType().IsValueType)
        {
            yield break;
        }

        if (value is IDictionary map)
        {
            foreach (DictionaryEntry entry in map)
            {
                var entryPath = $"{path}.{entry.Key}";
                if (entry.Value is null)
                {
                    yield return (entryPath, "a value here cannot be null");
                }

                foreach (var problem in Walk(entry.Value, entryPath, depth + 1))
                {
                    yield return problem;
                }
            }

            yield break;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{i++}]";
                if (item is null)
                {
                    yield return (itemPath, "a list item cannot be null");
                }

                foreach (var problem in Walk(item, itemPath, depth + 1))
                {
                    yield return problem;
                }
            }

            yield break;
        }

        var contract = EngineJson.Options.GetTypeInfo(value.GetType());
        if (contract.Kind != JsonTypeInfoKind.Object)
        {
            yield break;
        }

        foreach (var property in contract.Properties.Where(p => p.Get is not null))
        {
            foreach (var problem in Walk(property.Get!(value), $"{path}.{property.Name}", depth + 1))
            {
                yield return problem;
            }
        }
    }
}
