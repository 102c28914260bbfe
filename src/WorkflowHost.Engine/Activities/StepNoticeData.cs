using System.Text.Json.Nodes;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// The data of a notification about one open step (a task moved to someone, a reminder, an escalation, an extension):
/// the case, the step and the process with their names in both languages, so the outbox can render the message without
/// reading the definition again. Built in one place so every such message carries the same fields.
/// </summary>
internal static class StepNoticeData
{
    /// <param name="notActed">How many have not acted yet, for a deadline's messages; left out when null.</param>
    public static JsonObject For(ExecutionScope scope, Bookmark bookmark, string kind, string? reason, int? notActed = null)
    {
        var activity = scope.Current;
        var data = new JsonObject
        {
            ["kind"] = kind,
            ["instance"] = scope.State.InstanceId.ToString(),
            ["bookmark"] = bookmark.Id,
            ["bookmarkKind"] = bookmark.Kind.ToString().ToLowerInvariant(),
            ["activity"] = activity.Id,
            ["activityName.zh-CN"] = activity.Name?.ZhCn,
            ["activityName.en"] = activity.Name?.En,
            ["process"] = scope.Definition.Id,
            ["processName.zh-CN"] = scope.Definition.Name.ZhCn,
            ["processName.en"] = scope.Definition.Name.En,
            ["dueAt"] = bookmark.DueAt,
        };
        if (notActed is { } count)
        {
            data["notActed"] = count;
        }

        data["reason"] = reason;
        return data;
    }
}
