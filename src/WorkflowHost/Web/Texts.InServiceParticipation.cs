namespace WorkflowHost.Web;

/// <summary>The texts of the participation log (attendance, check-in codes), the in-service dashboard figures and the nominee picker.</summary>
public sealed partial class Texts
{
    public string InServiceActivities => T("社区活动签到与考勤", "Activities: attendance and check-in");
    public string InServiceActivitiesHelp => T("活动共抓中的社区活动。点开一项活动，录入到场的在职党员，或开启签到码由党员在手机上签到。",
        "The community's co-organised activities. Open one to enter the registered members present, or open a check-in code for members to check in on their phones.");
    public string NoActivities => T("暂无社区活动。", "No activities yet.");
    public string ActivityDate => T("活动日期", "Date");
    public string ActivityPlace => T("地点", "Place");
    public string MembersCounted(int n) => F("已记录 {0} 名在职党员", n == 1 ? "{0} member counted" : "{0} members counted", n);
    public string CheckInOpenTag => T("签到进行中", "Check-in open");
    public string AttendanceSheet => T("在职党员考勤", "Registered members present");
    public string AttendanceHelp => T("勾选到场的在职党员；作为单位认领的志愿者到场的，另勾选“志愿者”。已记录的不会重复计入。",
        "Tick the registered members present; tick \"volunteer\" for those who came as volunteers their unit pledged. Members already counted are not counted twice.");
    public string PresentColumn => T("到场", "Present");
    public string VolunteerColumn => T("志愿者", "Volunteer");
    public string CountedHow => T("记录方式", "Counted by");
    public string SaveAttendance => T("保存考勤", "Save attendance");
    public string AttendanceSaved(int n) => F("已新增 {0} 人的参加记录。", n == 1 ? "{0} member added." : "{0} members added.", n);
    public string AttendanceNeedsSomeone => T("请至少勾选一名到场的在职党员。", "Tick at least one member present.");
    public string AttendanceStranger => T("所选人员不是本社区已报到的在职党员。", "Someone ticked is not a member registered with this community.");
    public string SourceName(string? source) => source switch
    {
        "summary" => T("活动总结", "Summary"),
        "office" => T("办公室录入", "Office"),
        "check-in" => T("签到码签到", "Check-in"),
        _ => "",
    };
    public string ParticipationRoleName(string? role) => role == "volunteer" ? T("志愿者", "Volunteer") : T("参加", "Took part");
    public string OpenCheckIn => T("开启签到", "Open a check-in");
    public string CheckInMinutes => T("签到有效时长（分钟）", "Valid for (minutes)");
    public string CheckInMinutesInvalid => T("有效时长须在 5 到 720 分钟之间。", "Valid for 5 to 720 minutes.");
    public string CheckInCodeIs => T("签到码", "Check-in code");
    public string CheckInValidUntil(string time) => F("有效至 {0}", "Valid until {0}", time);
    public string CheckInQrLabel => T("扫码签到", "Scan to check in");
    public string CheckInShowAtEvent => T("请在活动现场展示签到码或二维码，在职党员在手机上输入签到码即可签到。",
        "Show the code or the QR code at the event; members enter the code on their phones.");
    public string CheckInTitle => T("活动签到", "Check in to an activity");
    public string CheckInHelp => T("输入活动现场展示的 6 位签到码。", "Enter the six-digit code shown at the event.");
    public string CheckInCode => T("签到码", "Code");
    public string CheckInButton => T("签到", "Check in");
    public string CheckedIn(string title) => F("签到成功：{0}", "Checked in: {0}", title);
    public string AlreadyCheckedIn(string title) => F("您已签到过：{0}，无需重复签到。", "You were already counted for {0}.", title);
    public string CheckInWrongCode => T("签到码不正确，请核对活动现场展示的签到码。", "This code is not right; check the code shown at the event.");
    public string CheckInFormat => T("签到码为活动现场展示的 6 位数字。", "The code is the six digits shown at the event.");
    public string CheckInClosed => T("该签到码当前不在有效时间内（签到已结束或尚未开始）。", "This code is not open now: the check-in has ended or not yet begun.");
    public string CheckInTooMany => T("签到码错误次数过多，请 15 分钟后再试。", "Too many wrong codes; try again in 15 minutes.");
    public string CheckInNeedsRegistration => T("请先向本社区报到，再签到。", "Register with the community before checking in.");
    public string GoCheckIn => T("活动签到", "Check in to an activity");
    public string MyActivitiesAttended => T("参加的社区活动", "Community activities attended");
    public string NoActivitiesAttended => T("尚无参加社区活动的记录。", "No community activities recorded yet.");
    public string ActivitiesThisYearColumn => T("本年度参加活动", "Activities this year");
    public string ServedInMonth => T("服务月份", "Served in month");
    public string InServiceDashboard => T("在职党员进社区", "In-service members in the community");
    public string RegistrationRatePerUnit => T("各单位报到率（已报到 ÷ 在职党员总数）", "Registration rate per unit (registered ÷ in-service members)");
    public string RegistrationRateOf(int registered, int total, double rate) =>
        F("{0}/{1}（{2}）", "{0}/{1} ({2})", registered, total, rate.ToString("P0", System.Globalization.CultureInfo.InvariantCulture));
    public string NoUnitTotals => T("尚无单位填报在职党员总数（在“驻区单位”中填写）。", "No unit has given its number of in-service members yet (entered with the resident units).");
    public string ConfirmedHoursPerMonth => T("每月确认的服务时长", "Confirmed service hours per month");
    public string InServiceMembersTotal => T("在职党员总数", "In-service party members");
    public string InServiceMembersTotalHelp => T("用于计算报到率；不填则不计算。", "Used for the registration rate; leave empty if not known.");
    public string ChooseRegisteredMember => T("从本单位已报到的在职党员中选择（可选）", "Choose from your unit's registered members (optional)");
    public string ChooseRegisteredMemberHelp => T("选择后按报到记录匹配社区表现，并自动填入姓名。", "Matches the community record by registration and fills in the name.");
    public string NoRegisteredMemberChosen => T("不选择（按姓名匹配）", "None (match by name)");
}
