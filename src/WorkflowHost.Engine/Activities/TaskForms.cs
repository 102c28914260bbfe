using System.Text.Json.Nodes;
using WorkflowHost.Engine.Inputs;
using WorkflowHost.Engine.Runtime;

namespace WorkflowHost.Engine.Activities;

/// <summary>
/// A task's own form (<c>fields</c>): what the person completing it fills in (an agenda's date and place, a summary, a
/// list of follow-up actions). Checked like the start form, every invalid field reported; kept under <c>activities.{id}.data</c>.
/// </summary>
internal static class TaskForms
{
    public static (JsonObject? Data, Refusal? Refusal) Check(
        ExecutionScope scope, string activityId, IReadOnlyList<InputField> fields, IReadOnlyList<string>? fieldsFor, CompleteTask stimulus)
    {
        var given = stimulus.Data;
        if (fields.Count == 0)
        {
            return given is null || given.Count == 0
                ? (null, null)
                : (null, new Refusal(RefusalCode.NotAllowed, $"Task '{stimulus.BookmarkId}' has no form; it accepts no data."));
        }

        if (fieldsFor is not null && !fieldsFor.Contains(stimulus.Outcome))
        {
            return given is null || given.Count == 0
                ? (null, null)
                : (null, new Refusal(RefusalCode.InvalidInput, $"The outcome '{stimulus.Outcome}' takes no form data.",
                    new Dictionary<string, string[]> { ["data"] = [$"The outcome '{stimulus.Outcome}' takes no form data."] }));
        }

        return InputValidation.ValidateFields(fields, given ?? [], scope.Context, activityId, "The task's form is not valid.");
    }

    /// <summary>
    /// A completed form's files go on the instance, and their references (with each file's SHA-256) into the completion's
    /// journal event, so the hash chain covers them. A form without files leaves the event as it was.
    /// </summary>
    public static void JournalAttachments(ExecutionScope scope, JsonObject journal, IReadOnlyList<InputField> fields, JsonObject? data)
    {
        var files = FileValues.References(fields, data);
        if (files.Count > 0)
        {
            journal["attachments"] = files;
            scope.ReferenceAttachments(fields, data);
        }
    }

    /// <summary>Replaces the data of an earlier run of the task (in a loop) rather than leaving it behind.</summary>
    public static void Record(JsonObject record, JsonObject? data)
    {
        if (data is null)
        {
            record.Remove("data");
        }
        else
        {
            record["data"] = data;
        }
    }
}
