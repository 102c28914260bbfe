namespace WorkflowHost.Web;

/// <summary>Texts of the landing page at / (decision 150): for visitors, and the signed-in person's own community.</summary>
public sealed partial class Texts
{
    // For a visitor, in the language of the switch (a cookie), Chinese by default.
    public string LandingTitle => T("首页", "Home");
    public string LandingDescription => T("驻区单位在干部提拔使用、评先评优前征求社区大党委意见，以及共商、共建等事项的网上办理：单位提交，办公室审核，委员表决，出具编号回执，每一步留痕可查。",
        "Resident units ask the community party committee before promoting a cadre or giving an award, and handle joint affairs and co-building with it online: units submit, the office checks, members vote, a numbered reply is issued, and every step is on record.");
    public string LandingSignIn => T("登录办理", "Sign in to start");
    public string LandingProcesses => T("可办理的流程", "Processes you can run here");
    public string LandingProcessColumns => T("流程|编号", "Process|Id");
    public string LandingMoreForDevelopers => T("开发者：", "For developers:");

    // For a signed-in person: their own community only, counts bounded by what is open now.
    public string LandingCommunity(string community, string street) => F("{0}（{1}）", "{0} ({1})", community, street);
    public string LandingYourWork(int n) => F("您有 {0} 项待办。", n == 1 ? "You have {0} thing to do." : "You have {0} things to do.", n);
    public string LandingUnread(int n) => F("未读消息 {0} 条。", n == 1 ? "{0} unread notification." : "{0} unread notifications.", n);
    public string LandingRunning(int n) => F("本社区办理中的事项 {0} 件。", n == 1 ? "{0} case under way in the community." : "{0} cases under way in the community.", n);
    public string LandingOverdue(int n) => F("本社区逾期未办的环节 {0} 个。", n == 1 ? "{0} step overdue in the community." : "{0} steps overdue in the community.", n);
    public string LandingGoToInbox => T("去办理", "Go to my to-do list");
    public string LandingSeeNotifications => T("查看消息", "See notifications");
    public string LandingSeeLedger => T("查看台账", "See the ledger");
}
