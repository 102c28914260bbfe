using System.Text.Json.Nodes;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>Sends a notice to the selected people and continues at once.</summary>
public sealed record NotifyActivity : ActivityDefinition
{
    public const string TypeName = "notify";

    public required ParticipantSelector Recipients { get; init; }

    /// <summary>The message key the host renders in the recipient's language.</summary>
    public required string Template { get; init; }

    public LocalizedText? Message { get; init; }

    public override IReadOnlyList<string> DeclaredOutcomes() => [Outcomes.Done];

    internal override void Enter(ExecutionScope scope)
    {
        var sequence = scope.State.NextSequence++;
        var recipients = Recipients.ResolvePeople(scope.State, scope.Context.Directory);
        foreach (var recipient in recipients)
        {
            var data = new JsonObject
            {
                ["instance"] = scope.State.InstanceId.ToString(),
                ["activity"] = Id,
                ["message.zh-CN"] = Message?.ZhCn,
                ["message.en"] = Message?.En,
            };
            scope.Emit(new NotificationRequested($"{scope.State.InstanceId}/{Id}#{sequence}/{recipient}", recipient, Template, data));
        }

        scope.Journal(JournalEventTypes.NotificationsQueued, new JsonObject { ["activity"] = Id, ["template"] = Template, ["recipients"] = recipients.Count });
        scope.Complete(Outcomes.Done);
    }
}
