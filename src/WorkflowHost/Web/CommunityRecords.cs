using System.Text.Json.Nodes;
using WorkflowHost.Engine.Activities;
using WorkflowHost.Engine.Definitions;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Web;

/// <summary>The nominee's community record as the <c>community-record</c> lookup stored it on the instance (activities.{id}).</summary>
public static class CommunityRecords
{
    public const string Provider = "community-record";

    public static JsonObject? Of(WorkflowDefinition? definition, InstanceState? state) =>
        definition?.Activities.OfType<LookupActivity>().FirstOrDefault(a => a.Provider == Provider) is { } lookup
            ? state?.Variables[lookup.Id] as JsonObject
            : null;
}
