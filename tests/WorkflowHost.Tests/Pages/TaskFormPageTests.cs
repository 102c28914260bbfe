using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>A task with a form of its own (the office placing an item on a meeting's agenda) is completed from its page.</summary>
public sealed class TaskFormPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_office_places_an_item_on_a_meetings_agenda_from_the_task_page_and_a_missing_date_is_marked_first()
    {
        var id = await fixture.Api.SubmitAsync("p-liaison-han", new JsonObject
        {
            ["title"] = "社区停车位规划", ["category"] = "community-management", ["description"] = "小区周边停车难。",
        }, process: "joint-affairs-discussion");
        using var browser = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await SignInAsync(browser, People.Office);
        var path = $"/work/{id}/{Uri.EscapeDataString("place-on-agenda#1")}";

        var page = await browser.GetStringAsync(path);
        Assert.Contains("data-test=\"task-fields\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"data.meetingDate\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"data.place\"", page, StringComparison.Ordinal);

        // A meeting without its date and place: the page again, the two fields marked, nothing done.
        using var refused = await PostAsync(browser, path, page, new()
        {
            ["outcome"] = "schedule", ["data.format"] = "meeting", ["data.secretBallot"] = "true", ["data.place"] = "",
        });
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, refusedPage);
        Assert.Contains("id=\"f-data-meetingDate-error\"", refusedPage, StringComparison.Ordinal);
        Assert.Contains("id=\"f-data-place-error\"", refusedPage, StringComparison.Ordinal);
        Assert.Contains("value=\"true\" checked=\"checked\"", refusedPage, StringComparison.Ordinal); // what was typed is kept
        var unchanged = await fixture.Api.InstanceAsync(id);
        Assert.Contains(unchanged["currentSteps"]!.AsArray(), s => s!["stepId"]!.GetValue<string>() == "place-on-agenda#1");

        using var done = await PostAsync(browser, path, refusedPage, new()
        {
            ["outcome"] = "schedule", ["data.format"] = "meeting", ["data.meetingDate"] = "2026-12-03", ["data.place"] = "社区党群服务中心",
        });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var after = await fixture.Api.InstanceAsync(id);
        Assert.Contains(after["currentSteps"]!.AsArray(), s => s!["kind"]!.GetValue<string>() == "ballot");
        var stored = await fixture.Factory.Services.GetRequiredService<WorkflowQueries>().GetAsync(id);
        var data = stored!.State.Variables["place-on-agenda"]!["data"]!;
        Assert.Equal("2026-12-03", data["meetingDate"]!.GetValue<string>());
        Assert.Equal("社区党群服务中心", data["place"]!.GetValue<string>());
        Assert.False(data["secretBallot"]!.GetValue<bool>()); // an unticked box is a "no"
    }

    private static async Task SignInAsync(HttpClient browser, string person)
    {
        var login = await browser.GetStringAsync("/account/login");
        using var signIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageForms.AntiforgeryToken(login) ?? "", ["userName"] = person, ["password"] = DemoAccounts.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient browser, string path, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = PageForms.AntiforgeryToken(page) ?? "";
        return browser.PostAsync(path + "?handler=Complete", new FormUrlEncodedContent(fields));
    }
}
