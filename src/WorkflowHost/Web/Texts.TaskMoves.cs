namespace WorkflowHost.Web;

/// <summary>Texts of the moves of a task between people: claim (认领), release (释放), transfer (转交), delegate (委派).</summary>
public sealed partial class Texts
{
    public string TaskMoveRefusalText(string code) => code switch
    {
        "alreadyClaimed" => T("该任务已被他人认领。", "Someone else has already claimed this task."),
        "notHolder" => T("该任务不在您手中，只有当前办理人可以进行此操作。", "This task is not in your hands; only its holder can do this."),
        "delegated" => T("该任务已委派他人准备，请等待其交回。", "This task is with a colleague who prepares it; wait until it comes back."),
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
}
