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

    /// <summary>For text fields; defaults to 200 for <c>text</c> and 4000 for <c>multilineText</c>.</summary>
    public int? MaxLength { get; init; }

    /// <summary>For <c>choice</c>: the allowed values with their labels.</summary>
    public IReadOnlyList<InputOption> Options { get; init; } = [];

    /// <summary>For numbers: inclusive bounds.</summary>
    public decimal? Min { get; init; }

    public decimal? Max { get; init; }

    /// <summary>For dates: refuse dates before today (in the calendar's time zone).</summary>
    public bool NotInPast { get; init; }

    public int EffectiveMaxLength => MaxLength ?? (Type == InputFieldType.MultilineText ? 4000 : 200);
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
}
