using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// Taking back from the pages (decision 139), signed in through the sign-in form: the unit withdraws a copy and the office
/// ends a delegate's reading on the instance page, the office removes an attendance entry on the activity page; a missing
/// reason stands next to its field and changes nothing; the person whose copy was withdrawn finds the notice on their page.
/// </summary>
public sealed class WithdrawalsPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Zhang = "p-member-zhang";
    private const string Zhou = "p-inservice-zhou";
    private const string Check = "office-check#1";

    private ApiDriver Api => fixture.Api;

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
    public async Task The_unit_withdraws_a_copy_on_the_instance_page_and_the_member_no_longer_opens_the_case()
    {
        var id = await Api.SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/copies", new { to = new[] { Zhang } })).Status);
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        var (_, page) = await GetAsync(liaison, $"/instances/{id}");
        Assert.Contains($"data-person=\"{Zhang}\" data-kind=\"copy\"", page, StringComparison.Ordinal);

        var (blankStatus, blank) = await PostAsync(liaison, $"/instances/{id}", "WithdrawCopy", [new("person", Zhang), new("reason", " ")]);
        Assert.Equal(HttpStatusCode.BadRequest, blankStatus);
        Assert.Contains($"id=\"withdraw-copy-{Zhang}-error\"", blank, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync(Zhang, $"/api/instances/{id}")).Status);

        var (doneStatus, _) = await PostAsync(liaison, $"/instances/{id}", "WithdrawCopy", [new("person", Zhang), new("reason", "抄送对象选错")]);
        Assert.Equal(HttpStatusCode.Redirect, doneStatus);
        var (_, after) = await GetAsync(liaison, $"/instances/{id}");
        Assert.Contains("data-test=\"withdrawals\"", after, StringComparison.Ordinal);
        Assert.Contains("抄送对象选错", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-person=\"{Zhang}\" data-kind=\"copy\"", after, StringComparison.Ordinal);

        using var zhang = await CookieBrowser.SignedInAsync(fixture.Factory, Zhang);
        // The old copy notice's link: still a 404 with nothing of the case, but a page that says the copy was withdrawn.
        var (goneStatus, gone) = await GetAsync(zhang, $"/instances/{id}");
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
        Assert.Contains("data-test=\"taken-back\"", gone, StringComparison.Ordinal);
        Assert.Contains("的抄送已于", gone, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"status\"", gone, StringComparison.Ordinal);
        Assert.DoesNotContain("周立新", gone, StringComparison.Ordinal);
        using var never = await CookieBrowser.SignedInAsync(fixture.Factory, "p-member-chen");
        var (neverStatus, neverPage) = await GetAsync(never, $"/instances/{id}");
        Assert.Equal(HttpStatusCode.NotFound, neverStatus);
        Assert.DoesNotContain("data-test=\"taken-back\"", neverPage, StringComparison.Ordinal);
        var (_, copiedTab) = await GetAsync(zhang, "/inbox?tab=copied");
        Assert.DoesNotContain(id.ToString(), copiedTab, StringComparison.Ordinal);
        var (_, notices) = await GetAsync(zhang, "/notifications");
        Assert.Contains("【撤回抄送】", notices, StringComparison.Ordinal);
        Assert.Contains("原因：抄送对象选错", notices, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_ends_a_delegates_reading_on_the_instance_page_once_the_task_came_back()
    {
        var id = await Api.SubmitAsync(People.OtherLiaison);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "delegate"), new { to = People.Member, note = "请先看材料" })).Status);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (_, preparing) = await GetAsync(office, $"/instances/{id}");
        Assert.DoesNotContain("data-test=\"end-reading-form\"", preparing, StringComparison.Ordinal); // still preparing: nothing to end yet

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Member, ApiDriver.Step(id, Check, "return"), new { note = "材料完整" })).Status);
        var (_, page) = await GetAsync(office, $"/instances/{id}");
        Assert.Contains($"data-person=\"{People.Member}\" data-kind=\"reading\"", page, StringComparison.Ordinal);
        using (var initiator = await CookieBrowser.SignedInAsync(fixture.Factory, People.OtherLiaison))
        {
            Assert.DoesNotContain("data-test=\"end-reading-form\"", (await GetAsync(initiator, $"/instances/{id}")).Html, StringComparison.Ordinal);
        }

        var (doneStatus, _) = await PostAsync(office, $"/instances/{id}", "EndReading", [new("person", People.Member), new("reason", "核对完毕")]);
        Assert.Equal(HttpStatusCode.Redirect, doneStatus);
        Assert.Contains("核对完毕", (await GetAsync(office, $"/instances/{id}")).Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Member, $"/api/instances/{id}")).Status);
    }

    [Fact]
    public async Task The_office_removes_a_wrong_tick_on_the_activity_page_and_it_is_listed_as_removed_with_its_reason()
    {
        var started = await Api.PostAsync("p-liaison-han", "/api/instances", new
        {
            process = "activity-co-organisation",
            input = new { title = "页面移除测试活动", date = "2026-12-12", startTime = "09:00", endTime = "11:00", place = "社区广场", description = "驻区单位与居民共同参加。", budget = 500 },
        });
        var activity = started.Body["instanceId"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, $"/api/in-service/activities/{activity}/attendance", new { present = new[] { Zhou } })).Status);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var path = $"/in-service/activities/{activity}";
        Assert.Contains($"data-test=\"counted-entry\" data-person=\"{Zhou}\"", (await GetAsync(office, path)).Html, StringComparison.Ordinal);

        var (blankStatus, blank) = await PostAsync(office, path, "Remove", [new("person", Zhou), new("reason", "")]);
        Assert.Equal(HttpStatusCode.BadRequest, blankStatus);
        Assert.Contains($"id=\"remove-{Zhou}-error\"", blank, StringComparison.Ordinal);

        var (doneStatus, _) = await PostAsync(office, path, "Remove", [new("person", Zhou), new("reason", "勾错了人")]);
        Assert.Equal(HttpStatusCode.Redirect, doneStatus);
        var (_, after) = await GetAsync(office, path);
        Assert.Contains($"data-test=\"removed-entry\" data-person=\"{Zhou}\"", after, StringComparison.Ordinal);
        Assert.Contains("勾错了人", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-test=\"counted-entry\" data-person=\"{Zhou}\"", after, StringComparison.Ordinal);
        Assert.Equal(0, (await Api.GetAsync(People.Office, $"/api/in-service/activities/{activity}/attendance")).Body["activity"]!["attended"]!.GetValue<int>());
    }
}
