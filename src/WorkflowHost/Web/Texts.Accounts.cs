namespace WorkflowHost.Web;

/// <summary>Texts of the account pages: invitation and reset links, two-factor sign-in and enrolment, the administrators' account list.</summary>
public sealed partial class Texts
{
    public string SetPasswordTitle => T("设置密码", "Set your password");
    public string InvitationFor(string name) => F("{0}，欢迎使用。请设置您的登录密码。", "Welcome, {0}. Choose the password you will sign in with.", name);
    public string ResetFor(string name) => F("{0}，请设置新密码。设置后，您在其他设备上的登录将全部结束。", "{0}, choose a new password. Setting it ends your sign-ins on every other device.", name);
    public string LinkValidUntil(string time) => F("此链接仅可使用一次，{0} 前有效。", "This link works once, until {0}.", time);
    public string NewPassword => T("新密码", "New password");
    public string RepeatPassword => T("再次输入新密码", "New password again");
    public string PasswordHint => T("至少 12 个字符；几个不相关的词组成的短语就是好密码。", "At least 12 characters; a few unrelated words make a good one.");
    public string PasswordsDiffer => T("两次输入的密码不一致。", "The two passwords differ.");
    public string SavePassword => T("保存密码", "Save password");
    public string PasswordSetSignIn => T("密码已设置，请用新密码登录。", "Your password is set; sign in with it.");
    public string LinkUnknown => T("找不到此链接，请检查是否完整复制。", "This link is not known; check that the whole link was copied.");
    public string LinkUsed => T("此链接已使用过，只能使用一次。如需重新设置，请联系管理员。", "This link was already used; it works only once. Ask an administrator for a new one.");
    public string LinkExpired => T("此链接已过期，请联系管理员重新发送。", "This link has expired. Ask an administrator for a new one.");
    public string LinkSuperseded => T("管理员已发出更新的链接，请使用最新的链接。", "A newer link was sent for this account; use that one.");
    public string LinkAccountDeactivated => T("此账户已停用。", "This account is deactivated.");
    public string ToSignIn => T("前往登录", "Go to sign-in");

    public string TwoFactorTitle => T("两步验证", "Two-step verification");
    public string TwoFactorPrompt => T("请输入身份验证器应用中显示的 6 位验证码。", "Enter the 6-digit code your authenticator app shows.");
    public string TwoFactorCode => T("验证码", "Code");
    public string RecoveryCode => T("恢复码（手机不在身边时使用）", "Recovery code (if you do not have your phone)");
    public string Verify => T("验证", "Verify");
    public string TwoFactorFailed => T("验证码错误或已使用过。多次失败后账户将被暂时锁定。", "The code is wrong or was already used. Repeated failures lock the account for a while.");
    public string TwoFactorExpired => T("登录已超时，请重新输入密码。", "The sign-in timed out; enter your password again.");

    public string EnrolTitle => T("设置两步验证", "Set up two-step verification");
    public string EnrolRequired => T("您的角色要求使用两步验证。设置完成后才能继续。", "Your role requires two-step verification; set it up to continue.");
    public string EnrolSteps => T("用身份验证器应用（如 Microsoft Authenticator、Google 身份验证器）扫描二维码，或手动输入下方密钥，然后输入应用显示的验证码。",
        "Scan the QR code with an authenticator app (Microsoft Authenticator, Google Authenticator, …) or type in the key below, then enter the code it shows.");
    public string EnrolSecret => T("密钥", "Key");
    public string EnrolQrLabel => T("两步验证二维码", "QR code for two-step verification");
    public string EnrolConfirm => T("确认", "Confirm");
    public string EnrolWrongCode => T("验证码不匹配，请输入应用当前显示的验证码。", "The code does not match; enter the one the app shows now.");
    public string EnrolDone => T("两步验证已开启。", "Two-step verification is on.");
    public string RecoveryCodesShownOnce => T("以下 10 个恢复码只显示这一次。请抄写或打印后妥善保管；每个恢复码只能使用一次。",
        "These 10 recovery codes are shown this once. Write them down or print them and keep them safe; each works once.");
    public string Continue => T("继续", "Continue");
    public string EnrolSignInFirst => T("请先输入密码登录。", "Sign in with your password first.");

    public string AccountsTitle => T("账户管理", "Accounts");
    public string Person => T("人员", "Person");
    public string AccountState => T("状态", "State");
    public string TwoFactorColumn => T("两步验证", "Two-step");
    public string Actions => T("操作", "Actions");
    public string Active => T("正常", "active");
    public string Deactivated => T("已停用", "deactivated");
    public string LockedOut => T("已锁定", "locked");
    public string NoAccountYet => T("尚未开通（邀请后开通）", "no account yet (inviting opens one)");
    public string TwoFactorOn => T("已开启", "on");
    public string TwoFactorOffRequired => T("未开启（角色要求）", "off (required by role)");
    public string TwoFactorOff => T("未开启", "off");
    public string OpenLink(string purpose, string time) => F("{0}链接 {1} 前有效", "{0} link open until {1}", purpose == "invitation" ? T("邀请", "invitation") : T("重置", "reset"), time);
    public string Invite => T("邀请", "Invite");
    public string ResetPassword => T("重置密码", "Reset password");
    public string Deactivate => T("停用", "Deactivate");
    public string Reactivate => T("启用", "Reactivate");
    public string LinkEmailed(string name) => F("链接已通过电子邮件发送给 {0}。", "The link was e-mailed to {0}.", name);
    public string LinkShownInDevelopment => T("开发环境：链接显示如下（生产环境只通过电子邮件发送）：", "Development: the link is shown here (in production it is only e-mailed):");
    public string LinkCannotDeliver => T("无法发送：未配置邮件服务器，或此人在通讯录中没有电子邮箱。", "Cannot send: no mail server is configured, or the person has no e-mail address in the directory.");
    public string LinkMailFailed => T("邮件发送失败，链接已作废，请稍后重试。", "The e-mail could not be sent; the link was withdrawn. Try again later.");
    public string AccountDeactivatedDone => T("账户已停用，其所有登录已结束。", "The account is deactivated and all its sessions ended.");
    public string AccountReactivatedDone => T("账户已启用。", "The account is active again.");
    public string PersonDeactivatedInDirectory => T("此人已在组织名录中停用，其账户不能再启用。", "The person is deactivated in the directory, so their account cannot be reactivated.");
    public string CannotDeactivateYourself => T("不能停用自己的账户。", "You cannot deactivate your own account.");
    public string SetUpMyTwoFactor => T("为我的账户设置两步验证", "Set up two-step verification for my account");
}
