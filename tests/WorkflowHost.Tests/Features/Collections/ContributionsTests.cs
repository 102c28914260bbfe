using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Collections;

/// <summary>
/// Units pledge resources to a co-organised activity over HTTP; a facility cannot be booked twice. Every unit's liaison
/// can see an activity while its sign-up window is open, so they can find it and sign up.
/// </summary>
public sealed class ContributionsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string School = "p-liaison-han";   // unit-xinhua-road-primary, owns fac-primary-playground
    private const string Library = "p-liaison-dong"; // unit-district-library, owns fac-library-lecture-hall

    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task Units_pledge_a_facility_and_volunteers_and_a_pledge_can_be_taken_back()
    {
        var (id, window) = await OpenWindowAsync();
        var view = await Api.InstanceAsync(id, School);
        var step = view["currentSteps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == window)!;
        var contribute = step["links"]!["contribute"]!.GetValue<string>();

        var libraryView = await Api.GetAsync(Library, $"/api/instances/{id}");
        Assert.True(libraryView.Status == HttpStatusCode.OK, libraryView.ToString());
        var hall = await Api.PostAsync(Library, contribute, new { item = new { kind = "facility", facility = "fac-library-lecture-hall", from = "13:00", to = "15:00" } });
        Assert.True(hall.Status == HttpStatusCode.OK, hall.ToString());
        var playground = await Api.PostAsync(School, contribute, new { item = new { kind = "facility", facility = "fac-primary-playground", from = "08:30", to = "12:30" } });
        var volunteers = await Api.PostAsync(School, contribute, new { item = new { kind = "volunteers", volunteers = 6 } });
        Assert.True(playground.Status == HttpStatusCode.OK, playground.ToString());
        Assert.True(volunteers.Status == HttpStatusCode.OK, volunteers.ToString());

        // The same playground for overlapping hours, in another activity on the same day: refused.
        var (other, otherWindow) = await OpenWindowAsync();
        var overlapping = new { item = new { kind = "facility", facility = "fac-primary-playground", from = "10:00", to = "11:00" } };
        var twice = await Api.PostAsync(School, ApiDriver.Step(other, otherWindow, "contributions"), overlapping);
        Assert.True(twice.Status == HttpStatusCode.BadRequest, twice.ToString());
        Assert.Contains("already reserved", twice.Body["errors"]!["facility"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // Taken back, the hours are free again.
        var retracted = await Api.PostAsync(School, ApiDriver.Step(id, window, "contributions/1/retract"), new { reason = "场地检修" });
        Assert.True(retracted.Status == HttpStatusCode.OK, retracted.ToString());
        var now = await Api.PostAsync(School, ApiDriver.Step(other, otherWindow, "contributions"), overlapping);
        Assert.True(now.Status == HttpStatusCode.OK, now.ToString());
    }

    [Fact]
    public async Task A_bad_pledge_or_someone_elses_facility_or_a_retraction_by_another_unit_is_refused_and_changes_nothing()
    {
        var (id, window) = await OpenWindowAsync();
        var path = ApiDriver.Step(id, window, "contributions");
        var pledged = await Api.PostAsync(School, path, new { item = new { kind = "money", amount = 5000 } });
        Assert.True(pledged.Status == HttpStatusCode.OK, pledged.ToString());
        var before = (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text;

        var missingItem = await Api.PostAsync(School, path, new { });
        var missingField = await Api.PostAsync(School, path, new { item = new { kind = "facility" } });
        var notOurs = await Api.PostAsync(School, path, new { item = new { kind = "facility", facility = "fac-library-lecture-hall", from = "13:00", to = "15:00" } });
        var byOtherUnit = await Api.PostAsync(Library, ApiDriver.Step(id, window, "contributions/0/retract"), new { reason = "不是我们的" });
        var bySecretary = await Api.PostAsync(People.Secretary, path, new { item = new { kind = "volunteers", volunteers = 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, missingItem.Status);
        Assert.NotNull(missingItem.Body["errors"]!["item"]);
        Assert.Equal(HttpStatusCode.BadRequest, missingField.Status);
        Assert.True(notOurs.Status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.Conflict, notOurs.ToString());
        Assert.True(byOtherUnit.Status == HttpStatusCode.Forbidden, byOtherUnit.ToString()); // sees the activity, but the pledge is the school's
        Assert.True(bySecretary.Status == HttpStatusCode.Forbidden, bySecretary.ToString()); // sees it, but is not a contributor
        Assert.Equal(before, (await Api.GetAsync(People.Secretary, $"/api/instances/{id}/timeline")).Text);
    }

    /// <summary>A sports day on Saturday 12 December 2026 (two weeks after the fake clock's start): its sign-up window is open.</summary>
    private async Task<(Guid Id, string Window)> OpenWindowAsync()
    {
        var id = await Api.SubmitAsync(School, new JsonObject
        {
            ["title"] = "社区邻里运动会",
            ["date"] = "2026-12-12",
            ["startTime"] = "09:00",
            ["endTime"] = "12:00",
            ["place"] = "新华路小学操场",
            ["description"] = "邻里趣味运动会。",
            ["budget"] = 8000,
        }, process: "activity-co-organisation");
        var view = await Api.InstanceAsync(id, School);
        var window = view["currentSteps"]!.AsArray().Single(s => s!["activity"]!.GetValue<string>() == "sign-up")!["stepId"]!.GetValue<string>();
        return (id, window);
    }
}
