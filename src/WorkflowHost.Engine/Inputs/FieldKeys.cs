namespace WorkflowHost.Engine.Inputs;

/// <summary>
/// Which field of a form a key names. The engine's error keys and the pages' form names share one shape: a field
/// (<c>unit</c>), one of its values (<c>materials[0]</c>), or a field of a list's item (<c>members[1].member</c>,
/// <c>actions[1].files[0]</c>); lists are one level deep, so an item's field is never a list itself.
/// </summary>
public static class FieldKeys
{
    public static InputField? FieldOf(IReadOnlyList<InputField> fields, string key)
    {
        var field = fields.FirstOrDefault(f => f.Name == NameAt(key));
        var item = key.IndexOf("].", StringComparison.Ordinal);
        return field?.Type == InputFieldType.List && item > 0
            ? field.Items?.FirstOrDefault(f => f.Name == NameAt(key[(item + 2)..]))
            : field;
    }

    /// <summary>A file field: its values are checked against the caller's uploads, which only the step reads.</summary>
    public static bool IsFile(IReadOnlyList<InputField> fields, string key) => FieldOf(fields, key)?.Type == InputFieldType.File;

    /// <summary>A person or unit field: its values can only be checked against the community's directory.</summary>
    public static bool ReadsDirectory(IReadOnlyList<InputField> fields, string key) =>
        FieldOf(fields, key)?.Type is InputFieldType.Person or InputFieldType.Unit;

    private static string NameAt(string key) => key.IndexOfAny(['[', '.']) is var end and >= 0 ? key[..end] : key;
}
