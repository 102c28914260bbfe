using System.Text.Json.Nodes;
using WorkflowHost.Features.Instances;

namespace WorkflowHost.Web;

/// <summary>What the partial <c>_Comments</c> draws: the discussion, and whether the reader may add to it.</summary>
public sealed record CommentsPanel(IReadOnlyList<CommentView> Comments, bool CanComment, string? TextError, Texts T, Func<DateTimeOffset, string> Time, Func<string, string> StepName)
{
    /// <summary>The comment box's files, when the definition takes files on comments (<c>commentFiles</c>), and what a refused box carried.</summary>
    public CommentFilesBox? Files { get; init; }
}

/// <param name="Field">The definition's <c>commentFiles</c> as the field <c>files</c>.</param>
/// <param name="Value">The ids a refused comment carried (comma-separated), shown again with keep boxes.</param>
/// <param name="Text">The text of a refused comment, so it is not typed again.</param>
public sealed record CommentFilesBox(
    Engine.Inputs.InputField Field, string Value, string? Text, string? Error, IReadOnlyDictionary<string, Features.Attachments.AttachmentView> Known);

/// <summary>What the partial <c>_CommunityRecord</c> draws: the lookup's stored result.</summary>
public sealed record CommunityRecordPanel(JsonObject Record, Texts T);

public static class StepNames
{
    /// <summary>A step's name in the reader's language, from the instance's own steps.</summary>
    public static Func<string, string> For(InstanceView instance, Texts t) => stepId =>
        instance.CurrentSteps.Concat(instance.PastSteps).FirstOrDefault(s => s.StepId == stepId)?.Name?.For(t.Language) ?? stepId;
}

/// <summary>The roster partial's model: the rows and the reader's texts.</summary>
public sealed record RosterPanel(IReadOnlyList<WorkflowHost.Persistence.InService.RosterRow> Rows, Texts T);
