using WorkflowHost.Engine.Activities;

namespace WorkflowHost.Engine.Definitions;

/// <summary>
/// 抄送 on a process: whom a case may be copied to (<c>"copy": { "to": [{ "role": "street-committee" }] }</c>). Who may
/// copy is fixed, not declared: the initiator's unit and the office, the two sides of a case (docs/decisions/0131).
/// </summary>
public sealed record CopyRules
{
    public IReadOnlyList<ParticipantSelector> To { get; init; } = [];

    /// <summary>The people a case may be copied to, as the engine will check them: what the page offers.</summary>
    public IReadOnlyList<string> Candidates(Runtime.InstanceState state, Runtime.IParticipantDirectory directory) =>
        [.. To.SelectMany(s => s.ResolvePeople(state, directory)).Distinct(StringComparer.Ordinal)];
}
