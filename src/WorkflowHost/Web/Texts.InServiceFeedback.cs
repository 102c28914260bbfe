namespace WorkflowHost.Web;

/// <summary>The texts of the annual feedback (年度反馈): the office's review, the feedback letters, the member's feedback.</summary>
public sealed partial class Texts
{
    public string AnnualReview => T("在职党员年度评定", "Annual review of in-service members");
    public string AnnualReviewOf(int year) => F("{0} 年度在职党员评定", "In-service members' review of {0}", year);
    public string AnnualReviewLink => T("年度评定与反馈函", "Annual review and feedback letters");
    public string NoReviewYet => T("尚未开启年度评定。每年最后一个工作日系统自动开启，为报到党员逐一评定。",
        "No review is open yet. The product opens one on the year's last working day, to evaluate each registered member.");
    public string ReviewYears => T("历年评定", "Reviews by year");
    public string ReviewHelp => T("逐一选择评定等次，可填写简短评语（200 字以内）。可分次保存；全部评定后出具反馈函，每个单位一函。",
        "Choose an evaluation for each member, with a short comment (at most 200 characters) if you like. Save as often as you like; once everyone is evaluated, issue the letters, one per unit.");
    public string ReviewClosed(string when) => F("反馈函已于 {0} 出具，评定不可再改。", "The letters were issued on {0}; the evaluations can no longer change.", when);
    public string ReviewReadOnly => T("评定由党委办公室填写。", "The office enters the evaluations.");
    public string ReviewedMember => T("党员", "Member");
    public string MemberUnit => T("工作单位", "Unit");
    public string ServiceHours => T("服务时长", "Hours");
    public string PostsServed => T("岗位", "Posts");
    public string WishesServed => T("微心愿", "Wishes");
    public string ActivitiesCounted => T("活动", "Activities");
    public string Evaluation => T("评定", "Evaluation");
    public string EvaluationComment => T("评语", "Comment");
    public string ChooseEvaluation => T("请选择", "Choose");
    public string RatingName(string? rating) => rating switch
    {
        "excellent" => T("优秀", "Excellent"),
        "competent" => T("合格", "Competent"),
        "basically-competent" => T("基本合格", "Basically competent"),
        _ => rating ?? "",
    };
    public string SaveEvaluations => T("保存评定", "Save the evaluations");
    public string IssueLetters => T("出具反馈函", "Issue the feedback letters");
    public string EvaluationsSaved => T("评定已保存。", "The evaluations are saved.");
    public string LettersIssued => T("反馈函已出具。", "The feedback letters are issued.");
    public string EvaluationRequired => T("请选择评定等次。", "Choose an evaluation.");
    public string CommentTooLong => T("评语不超过 200 字。", "The comment must be at most 200 characters.");
    public string ReviewRefused => T("未保存：请按提示修改后再提交，本次未作任何更改。", "Nothing was saved: correct what is marked and submit again.");
    public string FeedbackLetters => T("反馈函", "Feedback letters");
    public string NoLetters => T("还没有反馈函。", "No feedback letters yet.");
    public string LetterNumber => T("反馈函编号", "Letter number");
    public string LetterYear => T("年度", "Year");
    public string LetterTitle(int year) => F("{0} 年度在职党员进社区情况反馈函", "Feedback on in-service members' service in the community, {0}", year);
    public string LetterTo(string unit) => F("{0}党组织：", "To the party organisation of {0}:", unit);
    public string LetterBody(int year, int members) => F("贵单位共有 {1} 名在职党员在本社区报到。现将其 {0} 年度参加社区服务情况及社区党委评定反馈如下：",
        "{1} of your members are registered with our community. Their service in {0} and the committee's evaluation are as follows:", year, members);
    public string LetterMembers(int members) => F("{0} 人", "{0} members", members);
    public string LetterIssuedOn(string date) => F("出具日期：{0}", "Issued on {0}", date);
    public string LetterFrom => T("社区党委（党委办公室代章）", "The community party committee (stamped by its office)");
    public string OpenLetter => T("查看反馈函", "Open the letter");
    public string MyFeedback(int year, string rating) => F("{0} 年度：{1}", "{0}: {1}", year, rating);
}
