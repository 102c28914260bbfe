using System.Net;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The task page (/work/{id}/{step}) answers a refused form with the API's status for the same refusal, the error shown
/// on the page as before, and nothing changed: 400 for a form the validator or the engine refuses as input, 403 for a
/// move the reader may not make, 404 for a step that is not there, 409 for a step that moved on. Signed in through the
/// sign-in form, each form posted back with the page's antiforgery token.
/// </summary>
public sealed class TaskPageRefusalStatusTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Check = "office-check#1";

    private ApiDriver Api => fixture.Api;

    private static string Work(Guid id, string step) => $"/work/{id}/{Uri.EscapeDataString(step)}";

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(CookieBrowser browser, string page, string path, string handler, Dictionary<string, string> fields)
    {
        using var get = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, page));
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(await get.Content.ReadAsStringAsync()) ?? "";
        using var response = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{path}?handler={handler}") { Content = new FormUrlEncodedContent(fields) });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> CheckStateAsync(Guid id) => (await Api.InstanceAsync(id))["currentSteps"]!.ToJsonString();

    [Fact]
    public async Task A_form_the_validator_refuses_answers_400_with_the_field_marked_and_the_deadline_unchanged()
    {
        var id = await Api.SubmitAsync();
        var before = await CheckStateAsync(id);
        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);

        var (status, html) = await PostAsync(secretary, Work(id, Check), Work(id, Check), "Extend", new() { ["days"] = "2", ["reason"] = "" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CheckStateAsync(id));
    }

    [Fact]
    public async Task An_outcome_the_engine_does_not_know_answers_400_and_the_task_stays_open()
    {
        var id = await Api.SubmitAsync();
        var before = await CheckStateAsync(id);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var (status, html) = await PostAsync(office, Work(id, Check), Work(id, Check), "Complete", new() { ["outcome"] = "no-such-outcome" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CheckStateAsync(id));
    }

    [Fact]
    public async Task Completing_a_task_that_is_not_the_readers_answers_403_and_changes_nothing()
    {
        var id = await Api.SubmitAsync();
        var before = await CheckStateAsync(id);
        using var liaison = await CookieBrowser.SignedInAsync(fixture.Factory, People.Liaison);

        var (status, html) = await PostAsync(liaison, Work(id, Check), Work(id, Check), "Complete", new() { ["outcome"] = "accept" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CheckStateAsync(id));
    }

    [Fact]
    public async Task A_form_posted_to_a_step_that_is_not_there_answers_404_and_changes_nothing()
    {
        var id = await Api.SubmitAsync();
        var before = await CheckStateAsync(id);
        using var office = await CookieBrowser.SignedInAsync(fixture.Factory, People.Office);

        var (status, _) = await PostAsync(office, Work(id, Check), Work(id, "office-check#9"), "Claim", []);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(before, await CheckStateAsync(id));
    }

    [Fact]
    public async Task Urging_a_step_twice_on_one_day_answers_409_with_the_reason_shown()
    {
        var id = await Api.SubmitAsync();
        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);
        var (first, _) = await PostAsync(secretary, Work(id, Check), Work(id, Check), "Urge", []);
        Assert.Equal(HttpStatusCode.Redirect, first);
        var before = await CheckStateAsync(id);

        var (again, html) = await PostAsync(secretary, Work(id, Check), Work(id, Check), "Urge", []);

        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("今天已催办过", html, StringComparison.Ordinal);
        Assert.Equal(before, await CheckStateAsync(id));
    }

    [Fact]
    public async Task Claiming_a_task_someone_else_holds_answers_409_and_the_holder_keeps_it()
    {
        var id = await Api.SubmitAsync();
        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Office, ApiDriver.Step(id, Check, "claim"), null)).Status);
        var before = await CheckStateAsync(id);
        using var secretary = await CookieBrowser.SignedInAsync(fixture.Factory, People.Secretary);

        var (status, html) = await PostAsync(secretary, Work(id, Check), Work(id, Check), "Claim", []);

        Assert.True(status is HttpStatusCode.Conflict or HttpStatusCode.Forbidden, $"{status}");
        Assert.Equal((await Api.PostAsync(People.Secretary, ApiDriver.Step(id, Check, "claim"), null)).Status, status);
        Assert.Contains("data-test=\"error\"", html, StringComparison.Ordinal);
        Assert.Equal(before, await CheckStateAsync(id));
    }
}
