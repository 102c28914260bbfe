using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Inputs;

/// <summary>
/// The value of a <c>file</c> field: given as a list of attachment ids (or of stored references, when an amendment sends
/// the value back), stored as a list of <see cref="AttachmentReference"/> objects with each file's SHA-256.
/// </summary>
public static class FileValues
{
    internal static JsonArray? Check(InputField field, string key, JsonNode value, RunContext context, List<(string, string)> errors)
    {
        var given = value is JsonArray array ? array : new JsonArray(value.DeepClone());
        if (field.Required && given.Count == 0)
        {
            errors.Add((key, $"'{key}' needs at least one file."));
            return null;
        }

        if (given.Count > field.EffectiveMaxFiles)
        {
            errors.Add((key, $"'{key}' takes at most {field.EffectiveMaxFiles} files; it has {given.Count}."));
            return null;
        }

        var result = new JsonArray();
        var seen = new HashSet<Guid>();
        var before = errors.Count;
        for (var i = 0; i < given.Count; i++)
        {
            var position = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var attachment = AttachmentReference.IdIn(given[i]) is { } id ? context.Attachments?.Find(id) : null;
            if (attachment is null)
            {
                errors.Add((position, $"'{position}' is not a file you uploaded for this case; upload it again."));
                continue;
            }

            if (!seen.Add(attachment.Id))
            {
                errors.Add((position, $"'{position}' repeats a file."));
            }
            else if (!field.EffectiveKinds.Contains(attachment.Kind))
            {
                errors.Add((position, $"'{position}' is {attachment.Kind.ToString().ToUpperInvariant()}; '{key}' takes {string.Join(", ", field.EffectiveKinds.Select(k => k.ToString().ToUpperInvariant()))}."));
            }
            else if (attachment.Size > field.EffectiveMaxBytes)
            {
                errors.Add((position, $"'{position}' has {attachment.Size} bytes; '{key}' takes files of at most {field.EffectiveMaxBytes} bytes."));
            }
            else
            {
                result.Add(attachment.ToJson());
            }
        }

        return errors.Count == before ? result : null;
    }

    /// <summary>
    /// Every attachment a checked form refers to, in its file fields and in the file fields of its list items: the uploads
    /// the step attaches to the instance.
    /// </summary>
    public static IReadOnlyList<Guid> In(IReadOnlyList<InputField> fields, JsonObject? values) =>
        [.. References(fields, values).Select(AttachmentReference.IdIn).OfType<Guid>()];

    /// <summary>The stored references of a checked form's files, for a journal event that must carry their hashes.</summary>
    public static JsonArray References(IReadOnlyList<InputField> fields, JsonObject? values)
    {
        var references = new JsonArray();
        if (values is null)
        {
            return references;
        }

        foreach (var field in fields)
        {
            switch (field.Type, values[field.Name])
            {
                case (InputFieldType.File, JsonArray files):
                    foreach (var file in files)
                    {
                        references.Add(file?.DeepClone());
                    }

                    break;
                case (InputFieldType.List, JsonArray items):
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        foreach (var file in References(field.Items ?? [], item))
                        {
                            references.Add(file?.DeepClone());
                        }
                    }

                    break;
            }
        }

        return references;
    }
}
