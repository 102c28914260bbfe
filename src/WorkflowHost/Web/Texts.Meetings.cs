namespace WorkflowHost.Web;

/// <summary>Texts of the meeting record, follow-up (督办), pledge (认领) and document pages.</summary>
public sealed partial class Texts
{
    // Meeting record (会议表决记录)
    public string MeetingRecord => T("录入会议表决", "Record the meeting's votes");
    public string MeetingRecordHelp => T(
        "勾选出席会议的委员，为现场表决的委员选择表决意见，并填写证明（时间、地点、方式）。整份记录一并保存：任何一项有误，全部不保存。",
        "Tick the members present, choose the vote of each member who voted at the meeting, and attest where and how. The record is saved whole: if anything is wrong, nothing is saved.");
    public string Present => T("出席", "Present");
    public string VoteAtMeeting => T("现场表决意见", "Vote at the meeting");
    public string NoVoteEntered => T("未表决", "No vote");
    public string Attestation => T("证明（必填，如“12月3日党委会现场举手表决”）", "Attestation (required, e.g. “show of hands at the committee meeting on 3 December”)");
    public string SaveMeetingRecord => T("保存会议记录", "Save the meeting record");
    public string OfflineVote => T("录入单张线下表决", "Enter one vote cast offline");
    public string OfflineVoteHelp => T("委员未能在线表决、当面或书面表决时，由书记录入，并注明证明。", "When a member voted in person or in writing rather than online, the secretary enters it with an attestation.");
    public string SaveOfflineVote => T("保存该票", "Save this vote");
    public string NotMeetingRecorder => T("只有书记可以录入会议表决，且表决须未结束。", "Only the secretary can enter a meeting's votes, and only while the vote is open.");
    public string AttendanceRequired => T("请至少勾选一名出席委员。", "Tick at least one member present.");
    public string VotesRequired => T("请至少录入一张表决票。", "Enter at least one vote.");
    public string VoteNotValid => T("该委员的表决不能录入（未出席、已表决、已回避或选项无效）。", "This member's vote cannot be entered (not present, already voted, recused, or not an option).");
    public string TooLong(int max) => F("不能超过 {0} 个字。", "At most {0} characters.", max);
    public string BackToStep => T("返回该环节", "Back to the step");

    // Follow-up (督办)
    public string FollowUps => T("落实事项督办", "Follow-up actions");
    public string FollowUpItem => T("事项", "Action");
    public string ResponsibleUnit => T("责任单位", "Responsible unit");
    public string ReportedBy => T("报告人", "Reported by");
    public string Report => T("落实情况", "What was done");
    public string NotReported => T("尚未报告", "Not reported yet");
    public string ExtendHelp => T("填写新的完成日期或延长的工作日数（二选一），并说明理由。责任单位将收到通知。", "Give a new due date or a number of working days (one of the two) and the reason. The responsible unit is told.");
    public string NewDueDate => T("新的完成日期", "New due date");
    public string ReasonRequired => T("理由（必填）", "Reason (required)");
    public string GiveDateOrDays => T("请填写新的日期或延长天数，二者选一。", "Give a new date or a number of days, one of the two.");
    public string DateNotLater => T("新的期限须晚于原期限和当前时间。", "The new deadline must be later than the current one and than now.");
    public string DaysRange => T("请输入 1 到 250 之间的整数。", "Enter a whole number from 1 to 250.");
    public string MayNotExtend => T("您不能延长该事项的期限。", "You may not extend this deadline.");
    public string Overdue2 => T("逾期", "overdue");

    // Pledges (活动认领)
    public string OpenWindows => T("活动认领", "Sign up and pledge");
    public string OpenWindowsHelp => T("正在接受报名、认领的活动。", "Activities now open for sign-up and pledges.");
    public string NoOpenWindows => T("目前没有正在报名的活动。", "No activity is open for sign-up now.");
    public string Pledges => T("认领登记", "Pledges");
    public string NoPledges => T("尚无认领。", "No pledges yet.");
    public string PledgedBy => T("认领单位", "Pledged by");
    public string Pledge => T("认领内容", "Pledge");
    public string FacilityHours => T("设施时段", "Facility hours");
    public string MakePledge => T("提交认领", "Pledge");
    public string Retract => T("撤回", "Retract");
    public string RetractReason => T("撤回理由（可选）", "Reason (optional)");
    public string PledgeSaved => T("已登记认领。", "Pledge recorded.");
    public string FacilityTaken => T("该设施在此时段已被预订，或不是本单位的设施：请换一个时段或设施。", "This facility is already booked for these hours, or is not your unit's: choose other hours or another facility.");
    public string NotAContributor => T("您不能认领此活动。", "You cannot pledge to this activity.");
    public string PledgesLink => T("查看认领登记、提交认领", "See the pledges and pledge");

    // Documents (会议纪要 and other numbered documents)
    public string Documents => T("编号文件", "Numbered documents");
    public string DocumentNumber => T("文件编号", "Number");
    public string DocumentKind(string kind) => kind switch
    {
        "minutes" => T("会议纪要", "Minutes"),
        "reply" => T("意见回执", "Reply"),
        "feedback" => T("在职党员年度反馈函", "Feedback letter"),
        _ => kind,
    };
    public string MinutesItem => T("议题", "Item");
    public string MinutesFormat => T("议事方式", "Format");
    public string MinutesMeeting => T("会议时间地点", "Meeting");
    public string MinutesAttendance => T("出席", "Attendance");
    public string MinutesRecusals => T("回避", "Recusals");
    public string MinutesRounds => T("表决轮次", "Rounds");
    public string MinutesRound(int round) => F("第 {0} 轮", "Round {0}", round);
    public string MinutesResolution => T("决议内容", "Resolution");
    public string MinutesActions => T("落实事项", "Follow-up actions");
    public string MinutesVerify => T("可凭文件编号和核验码在本系统核验本纪要。", "These minutes can be verified in this system with their number and verification code.");
    public string FormatOf(string? format) => format switch
    {
        "meeting" => T("党委会议", "Committee meeting"),
        "online" => T("网上议事", "Online round"),
        _ => format ?? "",
    };
    public string Persons(int n) => F("{0} 人", n == 1 ? "{0} person" : "{0} people", n);
}
