namespace WorkflowHost.Web;

/// <summary>Texts of taking back what was given (decision 139): a copy, a delegate's reading, an attendance entry.</summary>
public sealed partial class Texts
{
    public string WithdrawalRefusalText(string code) => code switch
    {
        "alreadyWithdrawn" => T("已经撤回过，无需再次撤回。", "This was already taken back."),
        "delegated" => T("此人仍在准备委派的任务，交回后才能结束查阅。", "This person is still preparing a delegated task; their reading can end once they hand it back."),
        "forbidden" or "notAllowed" => T("您不能撤回此项。", "You cannot take this back."),
        "notFound" => T("此人没有可撤回的查阅权限。", "This person has no such access to take back."),
        _ => CaseRefusalText(code),
    };

    public string TakeBackReading => T("查阅权限", "Who else reads this case");
    public string TakeBackReadingHelp => T("撤回抄送或结束委派后的查阅，须填写原因；对方立即不能再查看本件，原因记入办理记录。",
        "Withdraw a copy or end a delegate's reading with a reason: they can no longer open this case, and the reason is kept in its journal.");
    public string ReaderColumn => T("人员", "Person");
    public string ReaderGround => T("查阅依据", "Reads as");
    public string ReaderCopied => T("被抄送", "Copied");
    public string ReaderPrepared => T("曾受委派", "Prepared a task");
    public string WithdrawalReason => T("原因", "Reason");
    public string WithdrawCopy => T("撤回抄送", "Withdraw copy");
    public string EndReading => T("结束查阅", "End reading");
    public string TakenBack => T("撤回记录", "Taken back");
    public string TakenBackBy => T("操作人", "By");
    public string CopyWithdrawn => T("撤回抄送", "Copy withdrawn");
    public string ReadingEnded => T("结束查阅", "Reading ended");

    // Attendance entries removed by the office
    public string RemoveAttendance => T("移除", "Remove");
    public string RemoveAttendanceReason => T("移除原因", "Reason for removing");
    public string RemovedAttendance => T("已移除的记录", "Removed entries");
    public string RemovedAttendanceHelp => T("记录有误时可移除并填写原因；移除后不再计入活动次数，可重新登记。",
        "Remove a wrong entry with a reason: it no longer counts, and the member may be recorded again.");
    public string RemovedBy => T("移除人", "Removed by");
    public string RemovedAt => T("移除时间", "Removed on");
    public string AttendanceRemovedNotice(string name) => F("已移除 {0} 的参加记录。", "{0}'s entry was removed.", name);
    public string AttendanceRemovalRefused(string code) => code switch
    {
        "attendanceRemoved" => T("该记录已被移除。", "This entry was removed already."),
        "reason" => T("请填写原因（不超过 500 字）。", "Give a reason (at most 500 characters)."),
        _ => T("该成员没有本次活动的参加记录。", "This member is not counted for this activity."),
    };
}
