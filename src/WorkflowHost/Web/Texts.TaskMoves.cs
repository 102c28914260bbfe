namespace WorkflowHost.Web;

/// <summary>Texts of the moves of a task between people: claim (认领), release (释放), transfer (转交), delegate (委派).</summary>
public sealed partial class Texts
{
    public string TaskMoveRefusalText(string code) => code switch
    {
        "alreadyClaimed" => T("该任务已被他人认领。", "Someone else has already claimed this task."),
        "notHolder" => T("该任务不在您手中，只有当前办理人可以进行此操作。", "This task is not in your hands; only its holder can do this."),
        "delegated" => T("该任务已委派他人准备，请等待其交回。", "This task is with a colleague who prepares it; wait until it comes back."),
        "awaitingOpinions" => T("该任务正在等待加签意见，意见到齐或到期后才能办结。", "This task waits for the opinions it asked for; complete it once they are in or their deadline passed."),
        "opinionGiven" => T("您已提交过书面意见。", "You have already left a written opinion."),
        _ => CaseRefusalText(code),
    };

    public string TaskMoves => T("任务流转", "Passing the task on");
    public string HeldBy(string name) => F("办理人：{0}", "Held by {0}", name);
    public string OnOffer => T("待认领", "Not yet claimed");
    public string DelegatedTo(string name) => F("已委派 {0} 准备", "Being prepared by {0}", name);
    public string Claim => T("认领", "Claim");
    public string ClaimHelp => T("认领后由您办理，其他人可看到办理人。", "Once you claim it, the task is yours and the others see who holds it.");
    public string Release => T("释放", "Release");
    public string ReleaseHelp => T("释放后任务退回待认领，本岗位其他人员可以认领。", "Releasing puts the task back on offer to everyone it is offered to.");
    public string ReleaseReason => T("释放原因（可选）", "Reason for releasing (optional)");
    public string Transfer => T("转交", "Transfer");
    public string TransferTo => T("转交给", "Transfer to");
    public string TransferReason => T("转交原因", "Reason for the transfer");
    public string Delegate => T("委派", "Delegate");
    public string DelegateTo => T("委派给", "Delegate to");
    public string DelegateNote => T("需要准备的内容（可选）", "What to prepare (optional)");
    public string DelegateHelp => T("委派的同事准备后交回，仍由您作出决定。", "The colleague prepares the task and hands it back; you still decide.");
    public string ReturnTask => T("交回", "Hand back");
    public string ReturnNote => T("准备情况说明", "What you prepared");
    public string ReturnHelp => T("该任务委派您准备，完成后请说明情况并交回办理人。", "You were asked to prepare this task; say what you prepared and hand it back.");
    public string PreparedNotes => T("委派准备情况", "Prepared by colleagues");
    public string NobodyToTransferTo => T("本岗位没有其他可以转交的人员。", "There is nobody else this task can go to.");

    // Out of office (请假 / 代理)
    public string LeaveTitle => T("请假与代理", "Leave and deputy");
    public string LeaveHelp => T("请假期间，指定给您本人的任务转由代理人办理；岗位任务不再分派给您。表决不可代理：您仍计入应到人数，可在表决页留下书面意见（不计票）。",
        "While you are away, tasks assigned to you by name go to your deputy, and tasks for your role skip you. Votes are never delegated: you stay in the eligible count and may leave a written opinion on the ballot page (not counted).");
    public string LeaveCurrent(string first, string last, string? deputy) => deputy is null
        ? F("当前请假：{0} 至 {1}，未指定代理人。", "On leave from {0} to {1}, with no deputy.", first, last)
        : T($"当前请假：{first} 至 {last}，代理人：{deputy}。", $"On leave from {first} to {last}; deputy: {deputy}.");
    public string LeaveSet => T("设置请假", "Set your leave");
    public string LeaveFirstDay => T("开始日期", "First day");
    public string LeaveLastDay => T("结束日期", "Last day");
    public string LeaveDeputy => T("代理人", "Deputy");
    public string LeaveNoDeputy => T("（不指定）", "(none)");
    public string LeaveClear => T("销假", "I am back");
    public string LeaveRefused(string field) => field switch
    {
        "deputy" => T("代理人须为本社区其他在职人员。", "The deputy must be someone else active in your community."),
        "lastDay" => T("结束日期不能早于开始日期或今天，且请假不超过366天。", "The last day must not be before the first day or today, and a leave is at most 366 days."),
        _ => T("请填写开始和结束日期。", "Give the first and last day."),
    };

    // Ballots: who is away, written opinions (书面意见)
    public string MembersAway => T("请假委员", "Members on leave");
    public string AwayUntil(string name, string last) => F("{0}（请假至 {1}）", "{0} (away until {1})", name, last);
    public string AwayHelp => T("请假委员仍计入应到人数，表决不可代理。", "Members on leave stay in the eligible count; nobody votes for them.");
    public string WrittenOpinions => T("书面意见（不计票）", "Written opinions (not counted)");
    public string LeaveOpinion => T("提交书面意见", "Leave a written opinion");
    public string OpinionHelp => T("不能按时表决时可留下书面意见，供委员参考，不计入票数；之后仍可表决。", "If you cannot vote in time, leave a written opinion for the committee; it is not counted, and you can still vote later.");
    public string OpinionText => T("书面意见", "Written opinion");

    // The instance page's history of moves
    public string MoveHistory => T("任务流转记录", "Moves of the tasks");
    public string MoveKind => T("操作", "Move");
    public string MoveWho => T("人员", "Who");
    public string MoveWhy => T("原因 / 说明", "Reason / note");
    public string MoveName(string type) => type switch
    {
        "TaskClaimed" => T("认领", "Claimed"),
        "TaskReleased" => T("释放", "Released"),
        "TaskOfferedBack" => T("退回待认领", "Offered back"),
        "TaskTransferred" => T("转交", "Transferred"),
        "TaskDelegated" => T("委派", "Delegated"),
        "TaskDelegationReturned" => T("委派交回", "Handed back"),
        "TaskRoutedToDeputy" => T("请假转代理人", "To the deputy (leave)"),
        "SignersAdded" => T("加签", "Opinion asked"),
        "SignerOpinionGiven" => T("加签意见", "Opinion given"),
        "SignerOpinionMissed" => T("加签意见逾期未提出", "Opinion not given in time"),
        _ => type,
    };

    // Adding signers (加签) on the task page, and the signer's opinion task
    public string AddSigners => T("加签征求意见", "Ask for opinions");
    public string AddSignersHelp => T("作出决定前，可征求以下人员的意见。意见到齐或到期前，本任务不能办结；意见仅供参考，由您作出决定。",
        "Before you decide, you may ask these people for an opinion. The task cannot be completed until the opinions are in or their deadline passed; they inform your decision and never make it.");
    public string SignersToAsk => T("征求意见对象", "Whom to ask");
    public string SignerQuestion => T("征求意见的问题", "The question");
    public string SignerDue => T("意见截止时间", "Opinions due by");
    public string SignerDueHelp => T("不得晚于本流程允许的期限（默认即为该期限）。", "No later than the process allows (which is the default).");
    public string OpinionsAsked => T("加签意见", "Opinions asked");
    public string WaitingForOpinions => T("本任务正在等待加签意见：意见到齐或到期后方可办结。", "This task waits for the opinions it asked for: it can be completed once they are in or their deadline passed.");
    public string OpinionPending(string due) => F("待提出（{0} 截止）", "Waiting (due {0})", due);
    public string OpinionMissed => T("逾期未提出意见", "Not given in time");
    public string OpinionTaskHelp => T("办理人在作出决定前征求您的意见。您的意见将记录在案，供其参考，不直接决定本事项。",
        "The holder of this task asks for your opinion before deciding. It is recorded and informs their decision; it does not decide the matter.");
    public string NoQuestion => T("（未填写）", "(none given)");
    public string YourOpinion => T("您的意见", "Your opinion");
    public string GiveOpinion => T("提交意见", "Give the opinion");

    /// <summary>The engine's reason words in the move history, in the reader's language; a person's own reason as written.</summary>
    public string? MoveReason(string? why) => why switch
    {
        "claimTimeout" => T("认领后超时未办理", "Not worked on within the claim timeout"),
        "leave" => T("办理人请假", "The holder is on leave"),
        _ => why,
    };
}
