using System.Globalization;
using WorkflowHost.Engine.Definitions;

namespace WorkflowHost.Web;

/// <summary>
/// Every text of the web pages, in the two languages the product ships: Simplified Chinese (the default) and English.
/// One instance per request, for one language, so a page never mixes the two.
/// </summary>
public sealed partial class Texts(string? language)
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public string Language { get; } = IsEnglish(language) ? English : Chinese;

    public bool En => Language == English;

    public static bool IsEnglish(string? language) => LocalizedText.IsEnglish(language);

    public static string Normalise(string? language) => IsEnglish(language) ? English : Chinese;

    private string T(string zh, string en) => En ? en : zh;

    private string F(string zh, string en, params object?[] args) => string.Format(CultureInfo.InvariantCulture, T(zh, en), args);

    public string AppName => T("社区大党委 · 征求意见与审批", "Community Party Committee · Consultations");
    public string SkipToContent => T("跳到正文", "Skip to content");
    public string SignIn => T("登录", "Sign in");
    public string SignOut => T("退出", "Sign out");
    public string UserName => T("用户名", "User name");
    public string Password => T("密码", "Password");
    public string EnterUserAndPassword => T("请输入用户名和密码。", "Enter your user name and password.");
    public string SignInFailed => T("登录失败：用户名或密码错误，或账户已被锁定。", "Sign-in failed: wrong user name or password, or the account is locked.");
    public string SwitchLanguage => T("English", "中文");
    public string SwitchLanguageLabel => T("切换到英文界面", "Switch to Chinese");
    public string OtherLanguage => En ? Chinese : English;
    public string MainNavigation => T("主导航", "Main navigation");
    public string Inbox => T("待办", "To do");
    public string Done => T("已办", "Done");
    public string InboxCount(int n) => F("待办 {0} 项", "{0} to do", n);
    public string MySubmissions => T("我的申请", "My submissions");
    public string Submit => T("提交申请", "Submit");
    public string NothingToDo => T("暂无待办事项。", "Nothing to do.");
    public string NothingDone => T("暂无已办事项。", "Nothing done yet.");
    public string Process => T("流程", "Process");
    public string Step => T("环节", "Step");
    public string Unit => T("单位", "Unit");
    public string Deadline => T("截止时间", "Deadline");
    public string NoDeadline => T("无期限", "No deadline");
    public string Overdue => T("已逾期", "Overdue");
    public string OverdueBy(string span) => F("已逾期 {0}", "overdue by {0}", span);
    public string TimeLeft(string span) => F("剩余 {0}", "{0} left", span);
    public string Days(int n) => F("{0} 天", n == 1 ? "{0} day" : "{0} days", n);
    public string Hours(int n) => F("{0} 小时", n == 1 ? "{0} hour" : "{0} hours", n);
    public string Minutes(int n) => F("{0} 分钟", n == 1 ? "{0} minute" : "{0} minutes", n);
    public string Open => T("办理", "Open");
    public string View => T("查看", "View");
    public string Task => T("任务", "Task");
    public string Ballot => T("表决", "Vote");
    public string DoneAt => T("办理时间", "Done at");
    public string StatusOf(string? status) => status switch
    {
        "completed" => T("已完成", "Completed"),
        "voted" => T("已表决", "Voted"),
        "recused" => T("已回避", "Recused"),
        "pending" => T("未表决", "Not voted"),
        "running" => T("办理中", "In progress"),
        "withdrawn" => T("已撤回", "Withdrawn"),
        "open" => T("进行中", "Open"),
        "closed" => T("已结束", "Closed"),
        _ => status ?? "",
    };
    public string ResultOf(string? result) => result switch
    {
        null or "" => T("尚无结论", "No decision yet"),
        "consent" => T("同意", "Consent"),
        "no-consent" => T("不同意", "No consent"),
        "passed" => T("通过", "Passed"),
        "rejected" => T("未通过", "Rejected"),
        "no-quorum" => T("未达到法定人数", "No quorum"),
        _ => result,
    };

    // The file
    public string TheFile => T("申请材料", "The file");
    public string SubmittedBy => T("提交人", "Submitted by");
    public string SubmittedAt => T("提交时间", "Submitted");
    public string Yes => T("是", "Yes");
    public string No => T("否", "No");

    // Ballot
    public string YourVote => T("您的表决", "Your vote");
    public string Choice => T("表决意见", "Your choice");
    public string ReasonOptional => T("理由（可选）", "Reason (optional)");
    public string CastVote => T("提交表决", "Cast vote");
    public string Recuse => T("申请回避", "Recuse myself");
    public string RecuseReason => T("回避理由（必填）", "Reason for recusal (required)");
    public string RecuseHelp => T("如与被推荐人是本人、亲属或同单位关系，请申请回避。", "Recuse yourself if the nominee is yourself, a relative or a colleague.");
    public string YouAreRecused => T("您已回避本次表决，不能投票。", "You are recused from this vote and cannot vote.");
    public string YouAreRecusedAutomatically => T("您来自提交单位，已自动回避，不能投票。", "You come from the submitting unit and are recused automatically; you cannot vote.");
    public string YouHaveVoted => T("您已表决，谢谢。", "You have voted. Thank you.");
    public string NotAVoter => T("您不是本次表决的委员。", "You are not a voter on this ballot.");
    public string VoteClosed => T("表决已结束。", "The vote is closed.");
    public string WhoHasVoted => T("表决情况", "Who has voted");
    public string VotedCount(int voted, int eligible) => F("已表决 {0} 人 / 应表决 {1} 人", "{0} of {1} eligible members have voted", voted, eligible);
    public string RecusedCount(int n) => F("回避 {0} 人", "{0} recused", n);
    public string SecretBallot => T("本次为无记名表决：只显示谁已表决，不显示表决内容。", "This is a secret ballot: it shows who has voted, not how.");
    public string Rule => T("表决规则", "Rule");
    public string QuorumRule(string share, int needed, int eligible) => F("参加表决人数须{0}应表决人数（{2} 人中至少 {1} 人）。", "Quorum: {0} of the eligible members must take part (at least {1} of {2}).", share, needed, eligible);
    public string PassRule(string option, string share, int needed, bool ofEligible) => ofEligible
        ? F("“{0}”票须{1}应表决人数（至少 {2} 票），弃权和未表决不计为同意。", "Passing: “{0}” votes must be {1} of the eligible members (at least {2}); abstentions and non-votes are not yes.", option, share, needed)
        : F("“{0}”票须{1}参加表决人数（目前至少 {2} 票）。", "Passing: “{0}” votes must be {1} of those taking part (now at least {2}).", option, share, needed);
    public string MoreThan(string fraction) => F("超过 {0}", "more than {0}", fraction);
    public string AtLeast(string fraction) => F("达到 {0}", "at least {0}", fraction);
    public string StillNeeded(int participants, int yes) => participants <= 0 && yes <= 0
        ? T("已满足作出决定的条件。", "Enough votes have been cast to decide.")
        : F("尚需：至少 {0} 人参加表决，“同意”至少还需 {1} 票。", "Still needed: at least {0} more taking part, at least {1} more consent votes.", Math.Max(participants, 0), Math.Max(yes, 0));
    public string StillNeededToTakePart(int participants) => participants <= 0
        ? T("参加表决人数已达到要求；表决结果在表决结束后公布。", "Enough members have taken part; the result is shown when the vote closes.")
        : F("尚需：至少还有 {0} 人参加表决。", "Still needed: at least {0} more taking part.", participants);
    public string Totals => T("计票结果", "Totals");
    public string Member => T("委员", "Member");
    public string AutomaticRecusal => T("自动回避", "recused automatically");
    public string Outcome => T("结论", "Outcome");

    // Task
    public string Decide => T("办理意见", "Decision");
    public string CommentOptional => T("说明（可选）", "Comment (optional)");
    public string Confirm => T("确定", "Confirm");
    public string NotYourTask => T("此事项不由您办理。", "This step is not yours to act on.");
    public string Saved => T("已提交。", "Saved.");
    public string Refused => T("未能提交：", "Not saved: ");
    public string RefusalText(string code) => code switch
    {
        "alreadyVoted" => T("您已经表决过。", "You have already voted."),
        "recused" => T("您已回避，不能表决。", "You are recused and cannot vote."),
        "closed" => T("该环节已结束。", "This step is closed."),
        "instanceEnded" => T("该事项已办结。", "This item has ended."),
        "forbidden" or "notAllowed" => T("您无权进行此操作。", "You may not do this."),
        "notFound" => T("找不到该事项。", "This item was not found."),
        _ => T("请检查填写的内容。", "Please check what you entered."),
    };
    public string FieldRequired => T("此项为必填项。", "This field is required.");

    // Submit
    public string SubmitTitle => T("提交征求意见", "Submit a consultation");
    public string ChooseProcess => T("请选择要办理的事项", "Choose what to submit");
    public string Required => T("（必填）", "(required)");
    public string PleaseChoose => T("请选择", "Please choose");
    public string SubmitButton => T("提交", "Submit");
    public string TaskForm => T("填写内容", "Details to fill in");
    public string TaskFormFor(string outcomes) => F("选择“{0}”时填写。", "Fill in when you choose: {0}.", outcomes);
    public string FixErrors => T("请更正以下标出的内容。", "Please correct the fields marked below.");
    public string FieldInvalid(string type, int maxLength) => type switch
    {
        "Date" => T("请输入不早于今天的日期（年-月-日）。", "Enter a date, not in the past (year-month-day)."),
        "IdNumber" => T("请输入 18 位居民身份证号码。", "Enter an 18-character resident identity number."),
        "Choice" => T("请从列表中选择一项。", "Choose one of the options."),
        "Integer" => T("请输入整数。", "Enter a whole number."),
        "Decimal" => T("请输入数字。", "Enter a number."),
        _ => F("请输入不超过 {0} 个字的单行文字。", "Enter at most {0} characters.", maxLength),
    };
    public string Submitted => T("已提交，办公室将进行审核。", "Submitted. The office will check it.");
    public string NotStartable => T("您不能提交此事项。", "You cannot submit this.");

    // My submissions / reply
    public string NoSubmissions => T("暂无申请。", "No submissions yet.");
    public string State => T("状态", "State");
    public string Reply => T("意见回执", "Reply");
    public string ReplyNumber => T("回执编号", "Reply number");
    public string VerificationCode => T("核验码", "Verification code");
    public string IssuedAt => T("出具时间", "Issued");
    public string Print => T("打印", "Print");
    public string ReplyIntro(string unit) => F("{0}：", "To {0}:", unit);
    public string ReplyBody(string nominee, string outcome) => F("经社区党委委员表决，对{0}的意见为：{1}。", "Having voted, the community party committee's opinion on {0} is: {1}.", nominee, outcome);
    public string ReplyVerify => T("可凭回执编号和核验码在本系统核验本回执。", "The reply can be verified in this system with its number and verification code.");
    public string CurrentStep => T("当前环节", "Current step");
    public string Details => T("详情", "Details");
    public string Diagram => T("流程图", "Process diagram");
    public string Timeline => T("办理记录", "Timeline");


    // Notifications, administration, dashboard
    public string Notifications => T("消息", "Notifications");
    public string NoNotifications => T("暂无消息。", "No notifications.");
    public string Unread => T("未读", "Unread");
    public string Read => T("已读", "Read");
    public string MarkRead => T("标为已读", "Mark as read");
    public string Administration => T("系统管理", "Administration");
    public string Definitions => T("流程定义", "Process definitions");
    public string Revision => T("版本", "Revision");
    public string StartableBy => T("可发起角色", "Who can start it");
    public string JobsDashboard => T("后台任务面板（Hangfire）", "Background jobs dashboard (Hangfire)");
    public string Dashboard => T("工作统计", "Dashboard");
    public string OpenItems => T("办理中事项", "Open items");
    public string OverdueItems => T("逾期事项", "Overdue items");
    public string ConsultationsByMonth => T("每月征求意见数", "Consultations by month");
    public string AverageResponsePerMember => T("委员平均表决用时", "Average time to vote, per member");
    public string AverageResponsePerUnit => T("各单位事项平均办理用时", "Average time to decide, per unit");
    public string AverageDays(double days) => F("{0:0.0} 天", "{0:0.0} days", days);
    public string Count => T("数量", "Count");
    public string NoData => T("暂无数据。", "No data yet.");

    // The page shown when the database does not answer (Api/DatabaseUnavailable.cs).
    public string DatabaseUnavailableTitle => T("数据库暂时无法访问", "The database is unavailable");
    public string DatabaseUnavailableText(int seconds) => F("系统暂时无法连接数据库，本次操作没有执行。请在 {0} 秒后重试；已经提交成功的内容不会丢失。",
        "The system cannot reach its database right now, so this action was not carried out. Try again in {0} seconds; nothing already saved is lost.", seconds);
    public string TryAgain => T("重试", "Try again");

    public string FormatTime(DateTimeOffset time, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(time, zone).ToString(En ? "d MMM yyyy HH:mm" : "yyyy年M月d日 HH:mm", En ? CultureInfo.GetCultureInfo("en-GB") : CultureInfo.GetCultureInfo("zh-CN"));

    /// <summary>"3 days left" or "overdue by 2 hours": the largest whole unit.</summary>
    public string Remaining(DateTimeOffset due, DateTimeOffset now)
    {
        var span = due - now;
        var abs = span.Duration();
        var text = abs.TotalDays >= 1 ? Days((int)abs.TotalDays) : abs.TotalHours >= 1 ? Hours((int)abs.TotalHours) : Minutes(Math.Max(1, (int)abs.TotalMinutes));
        return span < TimeSpan.Zero ? OverdueBy(text) : TimeLeft(text);
    }
}
