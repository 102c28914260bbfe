namespace WorkflowHost.Web;

/// <summary>The texts of the ledger, its exports, the dashboard's figures, reply verification and the co-building record.</summary>
public sealed partial class Texts
{
    // The ledger (台账) and its exports
    public string Ledger => T("台账", "Ledger");
    public string LedgerIntro => T("可查看的全部事项；按条件筛选后可导出。", "Every case you may see; filter it, then export it.");
    public string Filter => T("筛选", "Filter");
    public string ClearFilters => T("清除筛选", "Clear filters");
    public string AnyOption => T("全部", "All");
    public string Search => T("搜索（人选姓名、标题、发文编号）", "Search (nominee, title, document number)");
    public string Year => T("年度", "Year");
    public string Month => T("月份", "Month");
    public string OverdueOnly => T("仅逾期", "Overdue only");
    public string NotOverdue => T("未逾期", "Not overdue");
    public string KindOfMatter => T("事项类别", "Kind of matter");
    public string Subject => T("事项", "Subject");
    public string Community => T("社区", "Community");
    public string Decision => T("结论", "Decision");
    public string EndedAt => T("办结时间", "Ended");
    // A case's numbers: a consultation's replies (意见回执) and the in-service review's feedback letters (FK-yyyy-nnn) alike.
    public string IssuedNumbers => T("发文编号", "Documents issued");
    public string OpenSteps => T("当前环节", "Open steps");
    public string Deadlines => T("截止时间", "Deadlines");
    public string OverdueColumn => T("是否逾期", "Overdue");
    public string CaseId => T("事项编号", "Case id");
    public string ExportXlsx => T("导出 Excel（.xlsx）", "Export to Excel (.xlsx)");
    public string ExportCsv => T("导出 CSV", "Export to CSV");
    public string NoCases => T("没有符合条件的事项。", "No case matches these filters.");
    public string CasesFound(int total) => F("共 {0} 项", "{0} cases", total);
    public string PageOf(int page, int pages) => F("第 {0} 页，共 {1} 页", "Page {0} of {1}", page, pages);
    public string PreviousPage => T("上一页", "Previous page");
    public string NextPage => T("下一页", "Next page");
    public string FiltersInvalid => T("筛选条件有误：", "The filters are not valid: ");
    public string LedgerFileName => T("台账", "ledger");
    public string LedgerSheet => T("台账", "Ledger");
    public string ShownFilters => T("当前筛选", "Filtered by");

    // A ballot's roll call (点名) and totals
    public string RollCall => T("表决情况", "Roll call");
    public string RollCallFileName => T("表决情况", "roll-call");
    public string ExportRollCall => T("导出表决情况", "Export the roll call");
    public string VoterStatus => T("表决状态", "Status");
    public string VoteReason => T("理由", "Reason");
    public string VotedAt => T("表决时间", "Voted at");
    public string EnteredBy => T("录入人", "Entered by");
    public string RecusalReasonColumn => T("回避理由", "Reason for recusal");
    public string Option => T("选项", "Option");
    public string Votes => T("票数", "Votes");
    public string SecretBallotExport => T("无记名表决：只列出谁已表决，不列出表决内容。", "Secret ballot: who has voted is listed, not how.");

    // Dashboard figures
    public string Duration(TimeSpan span) => span.TotalDays >= 1
        ? F("{0:0.0} 天", "{0:0.0} days", span.TotalDays)
        : F("{0:0.0} 小时", "{0:0.0} hours", span.TotalHours);
    public string ConsentRateByKind => T("各类事项同意率", "Consent rate by kind of matter");
    public string ConsentRate(int consent, int decided) => F("{0:0%}（{1}/{2}）", "{0:0%} ({1} of {2})", decided == 0 ? 0 : (double)consent / decided, consent, decided);
    public string ParticipationRate => T("委员参与表决率", "Members' participation in votes");
    public string Participation(int voted, int eligible) => F("{0:0%}（{1}/{2}）", "{0:0%} ({1} of {2})", eligible == 0 ? 0 : (double)voted / eligible, voted, eligible);
    public string OverdueByStep => T("各环节逾期事项", "Overdue work by step");
    public string FigureLinksToLedger => T("点击图中条目可查看台账中的对应事项。", "Each bar links to the matching cases in the ledger.");

    // Public reply verification
    public string VerifyReply => T("意见回执核验", "Verify a reply");
    public string VerifyIntro => T("输入回执上的编号和核验码，或扫描回执上的二维码。", "Enter the number and verification code printed on the reply, or scan its QR code.");
    public string VerifyButton => T("核验", "Verify");
    public string ReplyGenuine => T("核验通过：本回执由社区党委出具，内容如下。", "Verified: this reply was issued by the community party committee, as follows.");
    public string ReplyNotFound => T("未找到与该编号和核验码相符的回执。请核对后重试。", "No reply has this number and code. Check them and try again.");
    public string IssuedOn => T("出具日期", "Issued on");
    public string Nominee => T("人选（部分隐去）", "Nominee (partly hidden)");
    public string IssuedBy => T("出具单位", "Issued by");
    public string ScanToVerify => T("扫码核验", "Scan to verify");
    public string QrCodeLabel(string number) => F("回执 {0} 的核验二维码", "QR code to verify reply {0}", number);

    // Co-building record (共驻共建)
    public string CoBuilding => T("共建记录", "Co-building record");
    public string CoBuildingOf(string unit) => F("{0} · 共建记录", "{0} · co-building record", unit);
    public string CoBuildingIntro => T("驻区单位与社区党委共同开展的工作：征求意见、共商事务、共抓活动和资源认领。", "What the unit did with the committee: consultations, joint affairs, activities and pledges.");
    public string Consultations => T("征求意见", "Consultations");
    public string JointAffairs => T("事务共商", "Joint affairs");
    public string ActivitiesLed => T("牵头活动", "Activities led");
    public string ResourcePledges => T("资源认领", "Pledges");
    public string PledgesFulfilled(int fulfilled, int total) => F("已兑现 {0} / {1}", "{0} of {1} fulfilled", fulfilled, total);
    public string Fulfilled => T("已兑现", "Fulfilled");
    public string NotFulfilled => T("未兑现", "Not fulfilled");
    public string Resource(string? resource) => resource switch
    {
        "facility" => T("场地设施", "Facility"),
        "volunteers" => T("志愿者", "Volunteers"),
        "money" => T("经费", "Money"),
        "equipment" => T("物资", "Equipment"),
        _ => resource ?? "",
    };
    public string EntryTitle => T("名称", "Title");
    public string Units => T("驻区单位", "Resident units");
    public string CasesWithCommittee => T("与党委往来事项", "Cases with the committee");
    public string AllCases => T("全部事项", "All cases");
}
