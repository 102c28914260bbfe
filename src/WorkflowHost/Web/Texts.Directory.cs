namespace WorkflowHost.Web;

/// <summary>The texts of the directory pages (/admin/directory and its change journal).</summary>
public sealed partial class Texts
{
    public string Directory => T("组织名录", "Directory");
    public string DirectoryChanges => T("名录变更记录", "Directory changes");
    public string DirectoryReadOnly => T("您可以查看本社区名录，但只有社区管理员可以修改。", "You can read this directory; only the community's administrator changes it.");
    public string Communities => T("社区", "Communities");
    public string ResidentUnits => T("驻区单位", "Resident units");
    public string People => T("人员", "People");
    public string CommitteeTerms => T("党委届次", "Committee terms");
    public string Id => T("编号", "Id");
    public string NameZh => T("中文名称", "Name (Chinese)");
    public string NameEn => T("英文名称", "Name (English)");
    public string Kind => T("类型", "Kind");
    public string JoinedOn => T("加入日期", "Joined");
    public string LeftOn => T("退出日期", "Left");
    public string AgreementSignedOn => T("共建协议签订日期", "Co-building agreement signed");
    public string AgreementText => T("共建协议内容", "Co-building agreement text");
    public string AddUnit => T("新增驻区单位", "Add a resident unit");
    public string EndMembership => T("结束成员资格", "End membership");
    public string NoUnit => T("（无）", "(none)");
    public string Roles => T("角色", "Roles");
    public string RoleFrom => T("起始日期", "From");
    public string RoleTo => T("截止日期", "To");
    public string AddPerson => T("新增人员", "Add a person");
    public string GrantRole => T("授予角色", "Grant a role");
    public string EndRole => T("结束角色", "End role");
    public string PersonDeactivated => T("已停用", "Deactivated");
    public string PersonActive => T("在册", "Active");
    public string InterfaceLanguage => T("界面语言", "Language");
    public string Email => T("电子邮箱", "E-mail");
    public string TitleZh => T("职务（中文）", "Title (Chinese)");
    public string TitleEn => T("职务（英文）", "Title (English)");
    public string TermNumber => T("届次", "Term");
    public string TermStarts => T("开始", "Starts");
    public string TermEnds => T("结束", "Ends");
    public string FullTime => T("专职", "full-time");
    public string PartTime => T("兼职", "part-time");
    public string Members => T("委员", "Members");
    public string Save => T("保存", "Save");
    public string ChangeAt => T("时间", "When");
    public string ChangeBy => T("操作人", "By");
    public string ChangeWhat => T("变更", "Change");
    public string ChangeSubject => T("对象", "Record");
    public string ChangeBefore => T("变更前", "Before");
    public string ChangeAfter => T("变更后", "After");
    public string DirectorySaved => T("已保存。", "Saved.");
    public string ConfirmDeactivate => T("停用后此人不能再登录，其角色全部结束，历史记录保留。", "A deactivated person can no longer sign in and holds no role; their history is kept.");

    public string TermTitle(int number) => F("第{0}届", "Term {0}", number);

    public string UnitKind(string kind) => kind switch
    {
        "agency" => T("机关", "agency"),
        "company" => T("企业", "company"),
        "school" => T("学校", "school"),
        "hospital" => T("医院", "hospital"),
        "public-institution" => T("事业单位", "public institution"),
        "other" => T("其他", "other"),
        _ => kind,
    };

    public string RoleName(string role) => role switch
    {
        "secretary" => T("书记", "secretary"),
        "committee-member" => T("党委委员", "committee member"),
        "office" => T("党委办公室", "committee office"),
        "unit-liaison" => T("单位联络员", "unit liaison"),
        "in-service-member" => T("在职党员", "in-service party member"),
        "community-admin" => T("社区管理员", "community administrator"),
        "administrator" => T("系统管理员", "administrator"),
        "street-committee" => T("街道党工委", "street committee"),
        "district-organisation" => T("区委组织部", "district organisation department"),
        _ => role,
    };

    public string ChangeKind(string kind) => kind switch
    {
        "unit-added" => T("新增单位", "unit added"),
        "unit-edited" => T("修改单位", "unit edited"),
        "unit-ended" => T("单位退出", "unit left"),
        "person-added" => T("新增人员", "person added"),
        "person-edited" => T("修改人员", "person edited"),
        "person-deactivated" => T("停用人员", "person deactivated"),
        "role-granted" => T("授予角色", "role granted"),
        "role-ended" => T("结束角色", "role ended"),
        "term-started" => T("换届", "new term"),
        "ballot-eligibility-reduced" => T("表决应到人数减少（委员离任未投票）", "ballot eligibility reduced (member left before voting)"),
        _ => kind,
    };
}
