namespace WorkflowHost.Web;

/// <summary>Texts of the case actions: amending a returned file, withdrawing, extending, urging, closing an overdue ballot, comments, the community record.</summary>
public sealed partial class Texts
{
    // A refusal the engine gives only to these actions; the others are in RefusalText.
    public string CaseRefusalText(string code) => code switch
    {
        "notOverdue" => T("表决尚未逾期，截止时间过后才能结束。", "The ballot is not overdue; it can be closed only after its deadline."),
        "alreadyUrged" => T("该环节今天已催办过，每个工作日只能催办一次。", "This step was already urged today; once per working day."),
        _ => RefusalText(code),
    };

    // Amending a returned file (退回补充)
    public string AmendTheFile => T("修改材料", "Correct the file");
    public string AmendHelp => T("以下为原提交内容，请按退回意见修改后重新提交。", "This is the file as submitted; correct it as the office asked and resubmit.");
    public string ReturnedWithComment => T("退回意见", "The office's comment");
    public string Amendments => T("材料修改记录", "Changes to the file");
    public string AmendedAt(string time) => F("{0} 修改", "Changed on {0}", time);
    public string Field => T("项目", "Field");
    public string Before => T("修改前", "Before");
    public string After => T("修改后", "After");
    public string NoChange => T("重新提交，内容未修改。", "Resubmitted without changes.");
    public string Empty => T("（空）", "(empty)");

    // Withdrawing (撤回)
    public string Withdraw => T("撤回", "Withdraw");
    public string WithdrawHelp => T("撤回后本事项结束，委员不再表决。作出决定前可以撤回。", "Withdrawing ends this item and the committee no longer votes. You can withdraw until a decision is made.");
    public string WithdrawReason => T("撤回原因", "Reason for withdrawing");
    public string Withdrawn => T("已撤回。", "Withdrawn.");

    // Deadline extension, urging, closing an overdue ballot
    public string CaseActions => T("办理", "Actions");
    public string ExtendDeadline => T("延长期限", "Extend the deadline");
    public string ExtendByWorkingDays => T("延长工作日数", "Extend by working days");
    public string ExtendReason => T("延期原因", "Reason for the extension");
    public string Urge => T("催办", "Urge");
    public string UrgeHelp => T("立即提醒尚未办理的人员。每个环节每个工作日只能催办一次。", "Reminds everyone who has not acted yet, now. Once per step and working day.");
    public string UrgedOn(string days) => F("已催办：{0}", "Urged on: {0}", days);
    public string CloseOverdueBallot => T("结束逾期表决", "Close the overdue ballot");
    public string CloseOverdueHelp => T("按已投票数适用表决规则：达到通过条件才通过，否则为不通过或未达法定人数。逾期本身不构成同意。",
        "The rule is applied to the votes cast: passed only if they carry it, otherwise rejected or no quorum. Being overdue is never consent.");
    public string CloseReason => T("结束原因", "Reason for closing");

    // Comments (讨论意见)
    public string Comments => T("讨论意见", "Comments");
    public string NoComments => T("暂无意见。", "No comments yet.");
    public string AddComment => T("发表意见", "Add a comment");
    public string CommentText => T("意见内容", "Your comment");
    public string OnStep(string step) => F("（{0}）", " ({0})", step);

    // The nominee's community record (社区表现记录)
    public string CommunityRecord => T("人选社区表现记录", "The nominee's community record");
    public string RecordNotFound => T("未找到该人选的在职党员报到记录。", "No in-service registration was found for the nominee.");
    public string RegisteredOn(string date) => F("{0} 到社区报到", "Registered with the community on {0}", date);
    public string ActivitiesAttended(int count) => F("参加社区活动 {0} 次", "{0} community activities", count);
    public string Activity => T("活动", "Activity");
    public string Date => T("日期", "Date");
}
