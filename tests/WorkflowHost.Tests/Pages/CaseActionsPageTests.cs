using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The case actions from the pages, signed in through the sign-in form: the returned file comes back prefilled and its
/// changes are shown; a withdrawal needs its reason; comments are listed with a box for participants only; the
/// secretary sees the overdue ballot's close form and the office the urge button.
/// </summary>
public sealed class CaseActionsPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private static string Work(Guid id, string step) => $"/work/{id}/{Uri.EscapeDataString(step)}";

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a page's form back with the page's antiforgery token, as a browser does.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string path, string handler, Dictionary<string, string> fields)
    {
        var (_, page) = await GetAsync(browser, path);
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(page) ?? "";
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(fields) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_unit_corrects_a_returned_file_in_a_prefilled_form_and_the_office_sees_what_changed()
    {
        var id = await Api.SubmitAsync();
        await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "return", comment = "请补充推荐理由。" });
        var amend = (await Api.InstanceAsync(id))["currentSteps"]![0]!["stepId"]!.GetValue<string>();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);

        var (_, form) = await GetAsync(liaison, Work(id, amend));
        Assert.Contains("data-test=\"amend-fields\"", form, StringComparison.Ordinal);
        Assert.Contains("工作扎实，积极参加社区志愿服务。</textarea>", form, StringComparison.Ordinal);
        Assert.Contains("请补充推荐理由。", form, StringComparison.Ordinal);

        var fields = ApiDriver.ConsultationInput().ToDictionary(p => "input." + p.Key, p => p.Value!.ToString());
        fields["outcome"] = "resubmit";
        fields["input.nomineeName"] = "";
        var (refusedStatus, refused) = await PostAsync(liaison, Work(id, amend), "Complete", new(fields));
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus); // the API's status for the same refusal
        Assert.Contains("id=\"f-input-nomineeName-error\"", refused, StringComparison.Ordinal);
        Assert.Equal(amend, (await Api.InstanceAsync(id))["currentSteps"]![0]!["stepId"]!.GetValue<string>());

        fields["input.nomineeName"] = "周立新";
        fields["input.reason"] = "工作扎实，连续三年获评社区优秀志愿者。";
        var (doneStatus, _) = await PostAsync(liaison, Work(id, amend), "Complete", fields);
        Assert.Equal(HttpStatusCode.Redirect, doneStatus);

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (_, instance) = await GetAsync(office, $"/instances/{id}");
        Assert.Contains("data-test=\"amendment\"", instance, StringComparison.Ordinal);
        Assert.Contains("<td>推荐理由</td>", instance, StringComparison.Ordinal);
        Assert.Contains("工作扎实，连续三年获评社区优秀志愿者。", instance, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>人选姓名</td>", instance, StringComparison.Ordinal); // unchanged fields are not listed
    }

    [Fact]
    public async Task A_withdrawal_from_the_page_needs_a_reason_and_only_the_submitter_is_offered_it()
    {
        var id = await Api.SubmitAsync();
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        Assert.DoesNotContain("data-test=\"withdraw-form\"", (await GetAsync(office, $"/instances/{id}")).Html, StringComparison.Ordinal);
        var (officeStatus, _) = await PostAsync(office, $"/instances/{id}", "Withdraw", new() { ["reason"] = "办公室撤回" });
        Assert.Equal(HttpStatusCode.Forbidden, officeStatus); // the page again, with the refusal and the API's status
        Assert.Equal("running", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());

        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        Assert.Contains("data-test=\"withdraw-form\"", (await GetAsync(liaison, $"/instances/{id}")).Html, StringComparison.Ordinal);
        var (noReason, page) = await PostAsync(liaison, $"/instances/{id}", "Withdraw", new() { ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.Contains("data-test=\"error\"", page, StringComparison.Ordinal);
        Assert.Equal("running", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());

        var (withdrawn, _) = await PostAsync(liaison, $"/instances/{id}", "Withdraw", new() { ["reason"] = "人选已调离本单位。" });
        Assert.Equal(HttpStatusCode.Redirect, withdrawn);
        Assert.Equal("withdrawn", (await Api.InstanceAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Comments_are_listed_on_the_pages_and_the_box_is_for_participants_only()
    {
        var id = await Api.SubmitAsync();
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);
        var (status, _) = await PostAsync(liaison, $"/instances/{id}", "Comment", new() { ["text"] = "推荐材料原件已送达党委办公室。" });
        Assert.Equal(HttpStatusCode.Redirect, status);

        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);
        var (_, work) = await GetAsync(office, Work(id, "office-check#1"));
        Assert.Contains("推荐材料原件已送达党委办公室。", work, StringComparison.Ordinal);
        Assert.Contains("data-test=\"comment-form\"", work, StringComparison.Ordinal);

        using var admin = await CookieBrowser.SignedInAsync(fixture.Factory, People.Administrator);
        var (_, read) = await GetAsync(admin, $"/instances/{id}");
        Assert.Contains("推荐材料原件已送达党委办公室。", read, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"comment-form\"", read, StringComparison.Ordinal);
        Assert.Single((await Api.GetAsync(People.Secretary, $"/api/instances/{id}/comments")).Body.AsArray());
    }

    [Fact]
    public async Task The_office_urges_from_the_task_page_and_the_secretary_extends_its_deadline()
    {
        var id = await Api.SubmitAsync();
        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);
        var (_, page) = await GetAsync(secretary, Work(id, "office-check#1"));
        Assert.Contains("data-test=\"extend-form\"", page, StringComparison.Ordinal);
        Assert.Contains("data-test=\"urge-form\"", page, StringComparison.Ordinal);

        var (refused, _) = await PostAsync(secretary, Work(id, "office-check#1"), "Extend", new() { ["days"] = "2", ["reason"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        var (extended, _) = await PostAsync(secretary, Work(id, "office-check#1"), "Extend", new() { ["days"] = "2", ["reason"] = "材料较多，需核实。" });
        Assert.Equal(HttpStatusCode.Redirect, extended);

        var (urged, _) = await PostAsync(secretary, Work(id, "office-check#1"), "Urge", []);
        Assert.Equal(HttpStatusCode.Redirect, urged);
        var (again, second) = await PostAsync(secretary, Work(id, "office-check#1"), "Urge", []);
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("今天已催办过", second, StringComparison.Ordinal);
        Assert.Contains("data-test=\"urged\"", second, StringComparison.Ordinal);

        using var member = await CookieBrowser.SignedInAsync(fixture.Factory, People.Member);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(member, Work(id, "office-check#1"))).Status);
    }

    [Fact]
    public async Task The_ballot_page_shows_the_nominees_community_record_readably_to_the_committee()
    {
        var id = await Api.AtBallotAsync();
        using var member = await CookieBrowser.SignedInAsync(fixture.Factory, People.Member);

        var (_, ballot) = await GetAsync(member, Work(id, "committee-ballot#2"));

        Assert.Contains("data-test=\"community-record\"", ballot, StringComparison.Ordinal);
        Assert.Contains("社区邻里节", ballot, StringComparison.Ordinal); // 周立新's newest activity in the seeds
        Assert.Contains("到社区报到", ballot, StringComparison.Ordinal);
        Assert.DoesNotContain("participationCount", ballot, StringComparison.Ordinal);
    }
}

/// <summary>A running instance is drawn with its own definition revision, even after a new one is published.</summary>
public sealed class InstanceRevisionPageTests : IAsyncLifetime
{
    private readonly ApiFixture _fixture = new();

    public ValueTask InitializeAsync() => _fixture.InitializeAsync();

    public ValueTask DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_running_instance_keeps_its_revisions_step_names_after_a_new_revision_is_published()
    {
        var old = await _fixture.Api.SubmitAsync();
        var folder = Path.Combine(_fixture.Factory.DataFolder, "workflows");
        var file = Path.Combine(folder, "promotion-consultation.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        var check = json["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "office-check")!;
        check["name"]!["zh-CN"] = "办公室初审（新版）";
        await File.WriteAllTextAsync(file, json.ToJsonString());
        var services = _fixture.Factory.Services;
        await using (var db = await services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            await services.GetRequiredService<DefinitionCatalog>().LoadAsync(db, folder);
        }

        var current = await _fixture.Api.SubmitAsync();
        using var office = await CookieBrowser.SignedInAsync(_fixture.Factory, People.Office);

        var oldPage = await ReadAsync(office, $"/work/{old}/{Uri.EscapeDataString("office-check#1")}");
        Assert.Contains("党委办公室审核材料", oldPage, StringComparison.Ordinal);
        Assert.DoesNotContain("办公室初审（新版）", oldPage, StringComparison.Ordinal);
        Assert.DoesNotContain("办公室初审（新版）", await ReadAsync(office, $"/instances/{old}"), StringComparison.Ordinal);
        Assert.Contains("办公室初审（新版）", await ReadAsync(office, $"/work/{current}/{Uri.EscapeDataString("office-check#1")}"), StringComparison.Ordinal);
    }

    private static async Task<string> ReadAsync(CookieBrowser browser, string path)
    {
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
