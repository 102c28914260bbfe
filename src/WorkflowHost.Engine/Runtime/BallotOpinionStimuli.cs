namespace WorkflowHost.Engine.Runtime;

/// <summary>
/// 书面意见: a member who will not vote in time (on leave, say) leaves a written opinion on an open ballot. It is shown with
/// the ballot and never counted: it is not a vote, nobody casts one for the member, and the member stays in the eligible
/// count (docs/decisions/0117). Refused on a secret ballot, where a signed opinion would tell how its author leans.
/// </summary>
public sealed record LeaveWrittenOpinion(string BookmarkId, string VoterId, string Text) : Stimulus
{
    public const int MaxLength = 2000;

    public override string Kind => "written-opinion";
}
