namespace WorkflowHost.Web;

/// <summary>
/// The errors of the office's forms on /in-service/office, each shown next to its field: publishing a post or a small
/// wish, confirming a claim with the hours served. The API's validator says the same in its own English words.
/// </summary>
public sealed partial class Texts
{
    public string OfferKindInvalid => T("请选择服务岗位或微心愿。", "Choose a service post or a small wish.");
    public string OfferCategoryNeeded => T("服务岗位须选择类别。", "A service post needs its category.");
    public string WishHasNoCategory => T("微心愿不选类别。", "A small wish has no category.");
    public string OfferCategoryInvalid => T("请从列表中选择类别。", "Choose a category from the list.");
    public string OfferTitleOneLine => T("标题只能写一行。", "The title must be one line.");
    public string OfferPlacesRange => T("名额须为 1 至 500 之间的整数。", "Places must be a whole number from 1 to 500.");
    public string OfferDueNotPast => T("完成期限不能早于今天。", "The date to fulfil it by must not be in the past.");
    public string DateRequired => T("请填写日期（年-月-日）。", "Enter a date (year-month-day).");
    public string ServedHoursRange => T("服务时长须在 0.5 至 24 小时之间，以半小时计。", "Hours must be from 0.5 to 24, in half hours.");
    public string ServedOnNotFuture => T("服务日期不能晚于今天。", "The day served cannot be in the future.");
    public string ClaimNotOpen => T("该认领已确认过，未作更改。", "This claim has already been confirmed; nothing was changed.");
}
