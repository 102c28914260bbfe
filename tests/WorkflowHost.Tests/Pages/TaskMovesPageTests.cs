using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// 加签 and 抄送 from the pages, signed in through the sign-in form: the holder asks the street committee with a question
/// and a deadline (errors next to the field, nothing done on a refusal), the signer answers on the opinion task's page,
/// the holder's page shows the opinion; the unit copies a member, who finds the case under "copied to me" (a refused
/// copy answers the API's status with the page).
/// </summary>
public sealed class TaskMovesPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Check = "office-check#1";

    private static readonly string[] CopiedMember = ["p-member-zhang"];

    private ApiDriver Api => fixture.Api;

    private static string Work(Guid id, string step) => $"/work/{id}/{Uri.EscapeDataString(step)}";

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (_, page) = await GetAsync(browser, path);
        var all = fields.Append(new("__RequestVerificationToken", PageForms.AntiforgeryToken(page) ?? "")).ToList();
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(all) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_holder_asks_the_street_committee_on_the_page_and_sees_its_opinion_arrive()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var (_, form) = await GetAsync(office, Work(id, Check));
        Assert.Contains("data-test=\"signers-form\"", form, StringComparison.Ordinal);
        Assert.Contains($"value=\"{People.Street}\"", form, StringComparison.Ordinal);

        var (noneStatus, none) = await PostAsync(office, Work(id, Check), "Signers", [new("question", "是否同意？")]);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Contains("id=\"signers-error\"", none, StringComparison.Ordinal);
        var (lateStatus, late) = await PostAsync(office, Work(id, Check), "Signers", [new("signers", People.Street), new("dueAt", "2027-06-01T10:00")]);
        Assert.Equal(HttpStatusCode.BadRequest, lateStatus);
        Assert.Contains("id=\"signers-due-error\"", late, StringComparison.Ordinal);
        Assert.Single((await Api.InstanceAsync(id))["currentSteps"]!.AsArray());

        var (askedStatus, _) = await PostAsync(office, Work(id, Check), "Signers",
            [new("signers", People.Street), new("question", "人选涉及辖区企业，请提出意见"), new("dueAt", "2026-11-30T17:00")]);
        Assert.Equal(HttpStatusCode.Redirect, askedStatus);
        var opinionStep = (await Api.InstanceAsync(id))["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() != Check)!["stepId"]!.GetValue<string>();
        var (_, waiting) = await GetAsync(office, Work(id, Check));
        Assert.Contains("data-test=\"awaiting-opinions\"", waiting, StringComparison.Ordinal);

        using var street = await CookieBrowser.SignedInAsync(fixture.Factory, People.Street);
        var (_, asked) = await GetAsync(street, Work(id, opinionStep));
        Assert.Contains("人选涉及辖区企业，请提出意见", asked, StringComparison.Ordinal);
        Assert.Contains("data-test=\"opinion-task-form\"", asked, StringComparison.Ordinal);
        // The signer answers and does nothing else: no claim, transfer, delegate, release or hand-back form, and the API
        // refuses the delegation the page would have offered before (an opinion asked of them by name).
        foreach (var move in (string[])["claim-form", "transfer-form", "delegate-form", "release-form", "return-form", "signers-form", "task-form"])
        {
            Assert.DoesNotContain($"data-test=\"{move}\"", asked, StringComparison.Ordinal);
        }

        var opinionView = (await Api.InstanceAsync(id, People.Street))["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == opinionStep)!;
        Assert.Null(opinionView["links"]!["moves"]);
        var delegated = await Api.PostAsync(People.Street, ApiDriver.Step(id, opinionStep, "delegate"), new { to = People.Office, note = "请代拟意见" });
        Assert.True(delegated.Status == HttpStatusCode.Forbidden, delegated.ToString());
        var (blankStatus, blank) = await PostAsync(street, Work(id, opinionStep), "Complete", [new("outcome", "opinion"), new("comment", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, blankStatus);
        Assert.Contains("id=\"opinion-comment-error\"", blank, StringComparison.Ordinal);
        var (givenStatus, _) = await PostAsync(street, Work(id, opinionStep), "Complete", [new("outcome", "opinion"), new("comment", "同意推荐，请按程序办理。")]);
        Assert.Equal(HttpStatusCode.Redirect, givenStatus);

        var (_, answered) = await GetAsync(office, Work(id, Check));
        Assert.Contains("同意推荐，请按程序办理。", answered, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"awaiting-opinions\"", answered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unit_copies_a_member_on_the_instance_page_who_finds_it_under_copied_to_me()
    {
        var id = await Api.SubmitAsync();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        var (_, page) = await GetAsync(liaison, $"/instances/{id}");
        Assert.Contains("data-test=\"copy-form\"", page, StringComparison.Ordinal);

        // A refusal answers the page with the API's status for the same request: 400 for nobody named, 409 for a repeat.
        var (noneStatus, none) = await PostAsync(liaison, $"/instances/{id}", "Copy", [new("note", "请知悉")]);
        Assert.Equal(HttpStatusCode.BadRequest, noneStatus);
        Assert.Contains("id=\"copy-to-error\"", none, StringComparison.Ordinal);

        var (copiedStatus, _) = await PostAsync(liaison, $"/instances/{id}", "Copy", [new("to", "p-member-zhang"), new("note", "请张委员知悉")]);
        Assert.Equal(HttpStatusCode.Redirect, copiedStatus);
        var (againStatus, again) = await PostAsync(liaison, $"/instances/{id}", "Copy", [new("to", "p-member-zhang")]);
        Assert.Equal(HttpStatusCode.Conflict, againStatus);
        Assert.Contains("id=\"copy-to-error\"", again, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = CopiedMember })).Status);
        var (_, after) = await GetAsync(liaison, $"/instances/{id}");
        Assert.Contains("data-test=\"copies\"", after, StringComparison.Ordinal);
        Assert.Contains("请张委员知悉", after, StringComparison.Ordinal);

        using var zhang = await CookieBrowser.SignedInAsync(fixture.Factory, "p-member-zhang");
        var (_, copied) = await GetAsync(zhang, "/inbox?tab=copied");
        Assert.Contains($"/instances/{id}", copied, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(zhang, $"/instances/{id}")).Status);
        Assert.DoesNotContain("data-test=\"copy-form\"", (await GetAsync(zhang, $"/instances/{id}")).Html, StringComparison.Ordinal);
    }
}
