using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>Units find an open sign-up window, pledge and retract on its page; a double booking is refused there with a message.</summary>
public sealed class PledgePagesTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string School = "p-liaison-han";   // unit-xinhua-road-primary, owns fac-primary-playground
    private const string Library = "p-liaison-dong"; // unit-district-library, owns fac-library-lecture-hall

    [Fact]
    public async Task A_liaison_finds_the_window_pledges_and_a_double_booking_is_refused_with_a_message_next_to_the_facility()
    {
        var (id, window) = await OpenWindowAsync();
        var path = $"/activities/{id}/{Uri.EscapeDataString(window)}/pledges";
        using var library = await PageSession.SignInAsync(fixture.Factory, Library);
        var (_, list) = await library.GetAsync("/pledges");
        Assert.Contains(path, list, StringComparison.Ordinal);

        var pledged = await library.PostAsync(path, "Pledge", new Dictionary<string, string>
        {
            ["item.kind"] = "facility", ["item.facility"] = "fac-library-lecture-hall", ["item.from"] = "13:00", ["item.to"] = "15:00",
        });
        Assert.Equal(HttpStatusCode.Redirect, pledged.Status);
        var (_, ledger) = await library.GetAsync(path);
        Assert.Contains("13:00–15:00", ledger, StringComparison.Ordinal);

        var timeline = (await fixture.Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;
        var twice = await library.PostAsync(path, "Pledge", new Dictionary<string, string>
        {
            ["item.kind"] = "facility", ["item.facility"] = "fac-library-lecture-hall", ["item.from"] = "14:30", ["item.to"] = "16:00",
        });
        Assert.Equal(HttpStatusCode.BadRequest, twice.Status); // as the API answers a facility already booked
        Assert.Contains("id=\"f-item-facility-error\"", twice.Html, StringComparison.Ordinal);
        Assert.Contains("已被预订", twice.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"14:30\"", twice.Html, StringComparison.Ordinal); // what was typed is kept
        Assert.Equal(timeline, (await fixture.Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text);

        using var secretary = await PageSession.SignInAsync(fixture.Factory, People.Secretary);
        var (_, instance) = await secretary.GetAsync($"/instances/{id}");
        Assert.Contains("data-test=\"pledge-ledger\"", instance, StringComparison.Ordinal);
        var notContributor = await secretary.PostAsync(path, "Pledge", new Dictionary<string, string> { ["item.kind"] = "volunteers", ["item.volunteers"] = "2" });
        Assert.Equal(HttpStatusCode.Forbidden, notContributor.Status);
    }

    [Fact]
    public async Task A_unit_retracts_its_own_pledge_and_not_another_units()
    {
        var (id, window) = await OpenWindowAsync();
        var path = $"/activities/{id}/{Uri.EscapeDataString(window)}/pledges";
        using var school = await PageSession.SignInAsync(fixture.Factory, School);
        Assert.Equal(HttpStatusCode.Redirect, (await school.PostAsync(path, "Pledge", new Dictionary<string, string> { ["item.kind"] = "volunteers", ["item.volunteers"] = "6" })).Status);

        using var library = await PageSession.SignInAsync(fixture.Factory, Library);
        var (_, seen) = await library.GetAsync(path);
        Assert.DoesNotContain("data-test=\"retract-form\"", seen, StringComparison.Ordinal);
        var notTheirs = await library.PostAsync(path, "Retract", new Dictionary<string, string> { ["index"] = "0" });
        Assert.Equal(HttpStatusCode.Forbidden, notTheirs.Status);

        var (_, own) = await school.GetAsync(path);
        Assert.Contains("data-test=\"retract-form\"", own, StringComparison.Ordinal);
        var retracted = await school.PostAsync(path, "Retract", new Dictionary<string, string> { ["index"] = "0", ["reason"] = "人员调整" });
        Assert.Equal(HttpStatusCode.Redirect, retracted.Status);
        var (_, after) = await school.GetAsync(path);
        Assert.Contains("data-test=\"no-pledges\"", after, StringComparison.Ordinal);
    }

    private async Task<(Guid Id, string Window)> OpenWindowAsync()
    {
        var id = await fixture.Api.SubmitAsync(School, new JsonObject
        {
            ["title"] = "社区邻里运动会", ["date"] = "2026-12-12", ["startTime"] = "09:00", ["endTime"] = "12:00",
            ["place"] = "新华路小学操场", ["description"] = "邻里趣味运动会。", ["budget"] = 8000,
        }, process: "activity-co-organisation");
        var view = await fixture.Api.InstanceAsync(id, School);
        return (id, view["currentSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == "sign-up")!["stepId"]!.GetValue<string>());
    }
}
