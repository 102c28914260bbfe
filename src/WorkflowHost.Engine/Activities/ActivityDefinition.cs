using System.Text.Json.Serialization;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// One step of a process. Each kind is a small record: its JSON payload plus what it does when the
/// flow reaches it (<see cref="Enter"/>) and, for blocking kinds, when its bookmark is resumed.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HumanTaskActivity), HumanTaskActivity.TypeName)]
[JsonDerivedType(typeof(BallotActivity), BallotActivity.TypeName)]
[JsonDerivedType(typeof(DecisionActivity), DecisionActivity.TypeName)]
[JsonDerivedType(typeof(ParallelSplitActivity), ParallelSplitActivity.TypeName)]
[JsonDerivedType(typeof(JoinActivity), JoinActivity.TypeName)]
[JsonDerivedType(typeof(TimerActivity), TimerActivity.TypeName)]
[JsonDerivedType(typeof(NotifyActivity), NotifyActivity.TypeName)]
[JsonDerivedType(typeof(IssueNumberActivity), IssueNumberActivity.TypeName)]
[JsonDerivedType(typeof(EndActivity), EndActivity.TypeName)]
[JsonDerivedType(typeof(TaskPerItemActivity), TaskPerItemActivity.TypeName)]
[JsonDerivedType(typeof(CollectActivity), CollectActivity.TypeName)]
[JsonDerivedType(typeof(LookupActivity), LookupActivity.TypeName)]
[JsonDerivedType(typeof(IssueDocumentActivity), IssueDocumentActivity.TypeName)]
[JsonDerivedType(typeof(RecordActivity), RecordActivity.TypeName)]
[JsonDerivedType(typeof(ReleaseReservationsActivity), ReleaseReservationsActivity.TypeName)]
public abstract record ActivityDefinition
{
    /// <summary>Every type name the reader accepts, for error messages and documentation.</summary>
    public static readonly IReadOnlyList<string> KnownTypes =
    [
        HumanTaskActivity.TypeName, BallotActivity.TypeName, DecisionActivity.TypeName, ParallelSplitActivity.TypeName,
        JoinActivity.TypeName, TimerActivity.TypeName, NotifyActivity.TypeName, IssueNumberActivity.TypeName, EndActivity.TypeName,
        TaskPerItemActivity.TypeName, CollectActivity.TypeName, LookupActivity.TypeName, IssueDocumentActivity.TypeName,
        RecordActivity.TypeName, ReleaseReservationsActivity.TypeName,
    ];

    public required string Id { get; init; }

    public LocalizedText? Name { get; init; }

    private static readonly Dictionary<Type, string> TypeNames = typeof(ActivityDefinition)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
        .Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>The <c>type</c> written in the file, e.g. <c>humanTask</c>.</summary>
    [JsonIgnore]
    public string Type => TypeNames[GetType()];

    /// <summary>The outcomes this activity can end with; each must be handled by a transition.</summary>
    public abstract IReadOnlyList<string> DeclaredOutcomes();

    /// <summary>Whether several transitions may leave on the same outcome (only a parallel split).</summary>
    [JsonIgnore]
    public virtual bool FansOut => false;

    /// <summary>Called when the flow reaches this activity.</summary>
    internal abstract void Enter(ExecutionScope scope);
}
