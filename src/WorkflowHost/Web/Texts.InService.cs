using System.Globalization;

namespace WorkflowHost.Web;

/// <summary>The texts of 在职党员进社区: the member's page, the office's and the unit's, the roster and its export.</summary>
public sealed partial class Texts
{
    public string InServiceService => T("在职党员进社区", "In-service members in the community");
    public string InServiceOffice => T("在职党员报到管理", "In-service members: office");
    public string InServiceUnit => T("本单位在职党员", "Our in-service members");
    public string InServiceRoster => T("报到名册", "Roster");
    public string InServiceIntro => T("向居住地社区报到，认领服务岗位和微心愿，服务时长由党委办公室确认。",
        "Register with the community you live in, claim service posts and small wishes; the office confirms the hours you serve.");
    public string RegistrationState => T("报到情况", "Registration");
    public string NotRegistered => T("您尚未向本社区报到。", "You have not registered with this community.");
    public string RegisterNow => T("去报到", "Register");
    public string RegisterAgain => T("重新报到（搬家、换单位）", "Register again (moved, changed unit)");
    public string RegistrationPending => T("报到已提交，等待党委办公室确认。", "Your registration is waiting for the office to confirm it.");
    public string RegisteredSince(string date, string unit) => F("{0} 报到 · {1}", "Registered on {0} · {1}", date, unit);
    public string EndedRegistrations => T("历史报到", "Earlier registrations");
    public string RegistrationPeriod(string from, string to, string unit) => F("{0} 至 {1} · {2}", "{0} to {1} · {2}", from, to, unit);
    public string PartyBranch => T("所在党支部", "Party branch");
    public string InServiceName => T("姓名", "Name");
    public string InServicePhone => T("联系电话", "Phone");
    public string RegisteredOnColumn => T("报到日期", "Registered on");
    public string PreferredPosts => T("意向岗位", "Posts they would take");
    public string HoursThisYear => T("本年度服务时长", "Hours this year");
    public string HoursLastYear => T("上年度服务时长", "Hours last year");
    public string Hours(decimal hours) => F("{0} 小时", "{0} h", hours.ToString("0.#", CultureInfo.InvariantCulture));
    public string OffersToClaim => T("可认领的岗位和微心愿", "Posts and wishes to claim");
    public string NoOffers => T("暂无可认领的岗位或微心愿。", "There is nothing to claim just now.");
    public string PlacesLeft(int left, int places) => F("剩余 {0}/{1} 个名额", "{0} of {1} places left", left, places);
    public string FulfilBy(string date) => F("{0} 前完成", "By {0}", date);
    public string ClaimIt => T("认领", "Claim");
    public string Claimed => T("认领成功。", "Claimed.");
    public string ClaimFull => T("名额已满，未能认领。", "All places are taken; nothing was claimed.");
    public string ClaimAlready => T("您已认领过该项。", "You have already claimed this.");
    public string ClaimNeedsRegistration => T("请先报到，报到确认后才能认领。", "Register first; you can claim once the office has confirmed it.");
    public string ClaimPastDue => T("该项已过期，不能认领。", "Its date has passed; it can no longer be claimed.");
    public string ServedPosts => T("认领的岗位和微心愿", "Posts and wishes served");
    public string ClaimStatus => T("状态", "Status");
    public string MyClaims => T("我的认领", "My claims");
    public string NoClaims => T("还没有认领。", "No claims yet.");
    public string ClaimStatusOf(string status) => status switch
    {
        "claimed" => T("待完成", "To do"),
        "completed" => T("已完成", "Done"),
        "not-fulfilled" => T("未完成", "Not fulfilled"),
        _ => status,
    };
    public string OfferKindOf(string kind) => kind == "wish" ? T("微心愿", "Small wish") : T("服务岗位", "Service post");
    public string ServiceCategoryName(string category) => category switch
    {
        "policy-outreach" => T("政策宣传", "Policy outreach"),
        "safety-patrol" => T("治安巡逻", "Safety patrol"),
        "civility-guidance" => T("文明劝导", "Civility guidance"),
        "care-and-help" => T("关爱帮扶", "Care and help"),
        _ => category,
    };
    public string CommunityActivitiesAttended(int count) => F("参加社区活动 {0} 次", "{0} community activities", count);
    public string FeedbackReceived => T("社区反馈", "Community feedback");
    public string NoFeedbackYet => T("年度反馈在年底由社区出具，届时在此查看。", "The community's annual feedback is issued at the year's end and shown here.");

    // The office
    public string RegistrationsToConfirm => T("待确认的报到", "Registrations to confirm");
    public string RegistrationsInInbox => T("报到申请在“待办”中逐件确认或退回。", "Registrations are confirmed or returned one by one in the inbox.");
    public string ClaimsToConfirm => T("待确认的认领", "Claims to confirm");
    public string NoClaimsToConfirm => T("没有待确认的认领。", "No claims to confirm.");
    public string ServedHours => T("服务时长（小时）", "Hours served");
    public string ServedOn => T("服务日期", "Day served");
    public string ConfirmServed => T("确认完成", "Confirm served");
    public string MarkNotFulfilled => T("未完成", "Not fulfilled");
    public string ClaimConfirmed => T("已确认。", "Confirmed.");
    public string PublishOffer => T("发布岗位或微心愿", "Publish a post or a small wish");
    public string OfferKind => T("类别", "Kind");
    public string OfferCategory => T("岗位类型（服务岗位必填）", "Kind of post (posts only)");
    public string OfferTitle => T("名称", "Title");
    public string OfferDescription => T("说明", "Description");
    public string OfferPlaces => T("名额", "Places");
    public string OfferDueOn => T("完成日期", "Fulfil by");
    public string Publish => T("发布", "Publish");
    public string Published => T("已发布。", "Published.");
    public string RegisterMembers => T("按名单为本单位党员报到", "Register our members from a list");
    public string ExportRoster => T("导出名册（.xlsx）", "Export the roster (.xlsx)");
    public string Apply => T("筛选", "Apply");
    public string NoRegisteredMembers => T("没有符合条件的报到党员。", "No registered members match.");
}
