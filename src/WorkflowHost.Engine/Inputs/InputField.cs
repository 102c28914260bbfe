namespace WorkflowHost.Engine.Inputs;

using WorkflowHost.Engine.Definitions;

/// <summary>One field of a process's start form; enough for a client to build the form and for the engine to check it.</summary>
public sealed record InputField
{
    public required string Name { get; init; }

    public required InputFieldType Type { get; init; }

    public required LocalizedText Label { get; init; }

    public LocalizedText? Help { get; init; }

    public bool Required { get; init; }

    /// <summary>Required only when another field of the same form or item has a given value (a pledge's facility when its kind is <c>facility</c>).</summary>
    public FieldTest? RequiredIf { get; init; }

    /// <summary>For text fields; defaults to 200 for <c>text</c> and 4000 for <c>multilineText</c>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>For <c>choice</c>: the allowed values with their labels.</summary>
    public IReadOnlyList<InputOption> Options { get; init; } = [];

    /// <summary>For numbers: inclusive bounds.</summary>
    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>For dates: refuse dates before today (in the calendar's time zone).</summary>
    public bool NotInPast { get; init; }

    /// <summary>For <c>person</c>: the person must hold this role (e.g. <c>in-service-member</c>).</summary>
    public string? Role { get; init; }

    /// <summary>For <c>list</c>: the fields of each item (one level: an item field is never a list itself).</summary>
    public IReadOnlyList<InputField>? Items { get; init; }

    /// <summary>For <c>list</c>: at most this many items; defaults to <see cref="DefaultMaxItems"/>.</summary>
    public int? MaxItems { get; init; }

    /// <summary>For <c>file</c>: at most this many files; defaults to <see cref="DefaultMaxFiles"/>.</summary>
    public int? MaxFiles { get; init; }

    /// <summary>For <c>file</c>: the largest file accepted, in bytes; defaults to <see cref="DefaultMaxBytes"/>.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>
    /// For <c>file</c>: the kinds accepted (<c>pdf</c>, <c>jpeg</c>, <c>png</c>, <c>docx</c>, <c>xlsx</c>, <c>ofd</c>; checked by
    /// content when uploaded); absent means every kind. Names rather than an enum in JSON, so clients generated from the
    /// OpenAPI document read the list as the strings it is.
    /// </summary>
    public IReadOnlyList<string>? Kinds { get; init; }

    public const int DefaultMaxItems = 50;

    public const int DefaultMaxFiles = 5;

    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    public int EffectiveMaxFiles => MaxFiles ?? DefaultMaxFiles;

    public long EffectiveMaxBytes => MaxBytes ?? DefaultMaxBytes;

    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<FileKind> EffectiveKinds => Kinds is { Count: > 0 } kinds
        ? [.. kinds.Select(k => Enum.TryParse<FileKind>(k, ignoreCase: true, out var kind) ? kind : (FileKind?)null).OfType<FileKind>()]
        : Enum.GetValues<FileKind>();

    public int EffectiveMaxItems => MaxItems ?? DefaultMaxItems;

    public int EffectiveMaxLength => MaxLength ?? (Type == InputFieldType.MultilineText ? 4000 : 200);
}

/// <summary>A test on a sibling field: <c>{ "field": "kind", "equalTo": "facility" }</c>.</summary>
public sealed record FieldTest
{
    public required string Field { get; init; }

    public required string EqualTo { get; init; }

    public bool Holds(System.Text.Json.Nodes.JsonObject values) =>
        values[Field] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == EqualTo;
}

public sealed record InputOption
{
    public required string Value { get; init; }

    public required LocalizedText Label { get; init; }
}

public enum InputFieldType
{
    Text,
    MultilineText,
    Choice,
    Date,
    Integer,
    Decimal,
    Boolean,

    /// <summary>A mainland resident identity number; validated, then stored masked (first 3 and last 4 characters kept).</summary>
    IdNumber,

    /// <summary>A time of day written HH:mm (24-hour), in the calendar's time zone.</summary>
    Time,

    /// <summary>A list of items, each an object checked against <see cref="InputField.Items"/>.</summary>
    List,

    /// <summary>The id of a person known in the community's directory (optionally holding <see cref="InputField.Role"/>).</summary>
    Person,

    /// <summary>The id of a resident unit of the community (one with a liaison in the directory).</summary>
    Unit,

    /// <summary>Uploaded files (attachment ids), stored as references carrying each file's SHA-256.</summary>
    File,
}
