using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// Attaches data only the store holds (the nominee's community record, earlier consultations) under
/// <c>activities.{id}</c>. The store resolves <see cref="Provider"/> with the <see cref="Parameters"/> read from the
/// instance data, in the step's transaction; like a number, the result is visible from the next step on.
/// </summary>
public sealed record LookupActivity : ActivityDefinition
{
    public const string TypeName = "lookup";

    public required string Provider { get; init; }

    /// <summary>Parameter name → path into the instance data (<c>input.nomineeName</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        scope.Emit(new LookupRequested(Id, Provider, DataMap.Resolve(scope.DataView(), Parameters)));
        scope.Complete(Outcomes.Done);
    }
}

/// <summary>
/// Issues a numbered document (意见回执, 会议纪要) composed from the instance data: its <see cref="Content"/> is frozen when
/// issued, numbered from <see cref="Series"/> (shared with <c>issueNumber</c>), and can be verified with its number and
/// the code the store derives from it. Records <c>number</c>, <c>series</c>, <c>document</c>, <c>issuedAt</c>.
/// </summary>
public sealed record IssueDocumentActivity : ActivityDefinition
{
    public const string TypeName = "issueDocument";

    /// <summary>The kind of document (e.g. <c>consultation-reply</c>, <c>minutes</c>): how the host lays it out.</summary>
    public required string Document { get; init; }

    public required string Series { get; init; }

    public string Format { get; init; } = IssueNumberActivity.DefaultFormat;

    /// <summary>Document field → where its value comes from.</summary>
    public required IReadOnlyDictionary<string, ContentValue> Content { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var data = scope.DataView();
        var content = new JsonObject([.. Content.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => KeyValuePair.Create(c.Key, c.Value.Resolve(data)))]);
        scope.Emit(new DocumentRequested(Id, Document, Series, scope.Context.Calendar.YearOf(scope.Now), Format, content));
        scope.Complete(Outcomes.Done);
    }
}

/// <summary>A document field's value: <c>{ "from": "input.nomineeName" }</c> or a literal <c>{ "value": "consent" }</c>.</summary>
public sealed record ContentValue
{
    public string? From { get; init; }

    public JsonElement? Value { get; init; }

    internal JsonNode? Resolve(JsonObject data) =>
        From is not null ? DataPath.Resolve(data, From)?.DeepClone() : Value is { } literal ? JsonNode.Parse(literal.GetRawText()) : null;
}

/// <summary>
/// Writes rows into one of the store's registers (<c>participation</c>: in-service members who took part in a community
/// activity; <c>co-building</c>: a unit's pledges and their fulfilment). <see cref="Values"/> are read once; each element
/// of the list at <see cref="RowsFrom"/> gives one row whose fields are read by <see cref="RowFields"/> (paths may start with <c>item</c>).
/// </summary>
public sealed record RecordActivity : ActivityDefinition
{
    public const string TypeName = "record";

    public required string Register { get; init; }

    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    public string? RowsFrom { get; init; }

    public IReadOnlyDictionary<string, string> RowFields { get; init; } = new Dictionary<string, string>();

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var data = scope.DataView();
        var rows = new JsonArray();
        if (RowsFrom is not null && DataPath.Resolve(data, RowsFrom) is JsonArray list)
        {
            foreach (var element in list)
            {
                rows.Add(DataMap.Resolve(DataMap.WithItem(data, element), RowFields));
            }
        }

        scope.Emit(new RecordsRequested(Id, Register, DataMap.Resolve(data, Values), rows));
        scope.Complete(Outcomes.Done);
    }
}

/// <summary>Gives back every facility the instance has reserved (an activity that was not approved), then continues.</summary>
public sealed record ReleaseReservationsActivity : ActivityDefinition
{
    public const string TypeName = "releaseReservations";

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        scope.Emit(new AllReservationsReleased(Id));
        scope.Complete(Outcomes.Done);
    }
}
