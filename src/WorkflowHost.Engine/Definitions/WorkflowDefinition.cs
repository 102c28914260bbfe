using System.Text.Json.Serialization;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Inputs;

namespace WorkflowHost.Engine.Definitions;

/// <summary>A process as written in <c>workflows/*.json</c>.</summary>
public sealed record WorkflowDefinition
{
    public required string Id { get; init; }

    /// <summary>The author's version label; the identity of a revision is <see cref="ContentHash"/>.</summary>
    public required int Version { get; init; }

    public required LocalizedText Name { get; init; }

    public LocalizedText? Description { get; init; }

    /// <summary>Which role may start an instance (e.g. <c>unit-liaison</c>).</summary>
    public IReadOnlyList<string> StartableBy { get; init; } = [];

    /// <summary>Roles that may comment on a running instance, besides its initiator and whoever a step is open for.</summary>
    public IReadOnlyList<string> CommentableBy { get; init; } = [];

    public IReadOnlyList<InputField> Inputs { get; init; } = [];

    /// <summary>Files a comment may carry; absent: comments are text only.</summary>
    public CommentFiles? CommentFiles { get; init; }

    /// <summary>抄送: whom the initiator's unit or the office may copy on a case; absent, cases are not copied.</summary>
    public CopyRules? Copy { get; init; }

    /// <summary>The id of the first activity.</summary>
    public required string Start { get; init; }

    public required IReadOnlyList<ActivityDefinition> Activities { get; init; }

    public IReadOnlyList<TransitionDefinition> Transitions { get; init; } = [];

    /// <summary>SHA-256 of the file's canonical JSON; set by the reader, never by the author.</summary>
    [JsonIgnore]
    public string ContentHash { get; init; } = "";

    /// <summary>The JSON text the hash was computed from, kept so an instance can be resumed on exactly its revision.</summary>
    [JsonIgnore]
    public string SourceJson { get; init; } = "";

    [JsonIgnore]
    public string Revision => $"{Version}-{ContentHash[..Math.Min(12, ContentHash.Length)]}";

    public ActivityDefinition? FindActivity(string id) => Activities.FirstOrDefault(a => a.Id == id);

    public ActivityDefinition GetActivity(string id) =>
        FindActivity(id) ?? throw new InvalidOperationException($"Definition '{Id}' has no activity '{id}'.");

    public IEnumerable<TransitionDefinition> TransitionsFrom(string activityId, string outcome) =>
        Transitions.Where(t => t.From == activityId && t.Outcome == outcome);
}

/// <summary>An arrow: when <see cref="From"/> ends with <see cref="Outcome"/>, continue at <see cref="To"/>.</summary>
public sealed record TransitionDefinition
{
    public required string From { get; init; }

    /// <summary>Defaults to <c>done</c>, the outcome of activities that have only one.</summary>
    public string Outcome { get; init; } = Outcomes.Done;

    public required string To { get; init; }
}

public static class Outcomes
{
    public const string Done = "done";
}
