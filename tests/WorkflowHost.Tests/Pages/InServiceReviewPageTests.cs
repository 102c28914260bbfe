using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Pages;

/// <summary>
/// The office's review page and the letters, signed in through the login form: a refused save shows its error next to the
/// member's field and keeps what was typed, changing nothing; the unit reads its own letter and not another unit's.
/// </summary>
public sealed class InServiceReviewPageTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_office_evaluates_on_the_page_errors_stand_next_to_the_field_and_the_unit_opens_only_its_own_letter()
    {
        Assert.True(Assert.Single(await fixture.Factory.Services.GetRequiredService<AnnualFeedbackOpener>().OpenAsync(2026)).Opened);
        var members = (await fixture.Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray().Select(m => m!["person"]!.GetValue<string>()).ToList();
        using var office = await PageSession.SignInAsync(fixture.Factory, People.Office);
        var (status, page) = await office.GetAsync("/in-service/office/review");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-test=\"review-form\"", page, StringComparison.Ordinal);

        // Issuing with one member left unevaluated: refused, the error by that member's select, the typed comment kept.
        var fields = new List<KeyValuePair<string, string>> { new("year", "2026"), new("issue", "true") };
        for (var i = 0; i < members.Count; i++)
        {
            fields.Add(new($"Rows[{i}].Member", members[i]));
            fields.Add(new($"Rows[{i}].Rating", i == 1 ? "" : "competent"));
            fields.Add(new($"Rows[{i}].Comment", i == 1 ? "待补充评定" : ""));
        }

        var refused = await office.PostAsync("/in-service/office/review", null, fields);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("id=\"rating-error-1\"", refused.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"rating-error-0\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("value=\"待补充评定\"", refused.Html, StringComparison.Ordinal);
        Assert.All((await fixture.Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray(), m => Assert.Null(m!["rating"]));

        fields[fields.FindIndex(f => f.Key == "Rows[1].Rating")] = new("Rows[1].Rating", "excellent");
        var issued = await office.PostAsync("/in-service/office/review", null, fields);
        Assert.Equal(HttpStatusCode.Redirect, issued.Status);
        var (_, closed) = await office.GetAsync(issued.Location!);
        Assert.Contains("data-test=\"review-closed\"", closed, StringComparison.Ordinal);

        var letters = (await fixture.Api.GetAsync(People.Liaison, "/api/in-service/letters")).Body.AsArray();
        var ours = letters.First(l => l!["year"]!.GetValue<int>() == 2026)!["number"]!.GetValue<string>();
        using var liaison = await PageSession.SignInAsync(fixture.Factory, People.Liaison);
        var (_, unit) = await liaison.GetAsync("/in-service/unit");
        Assert.Contains($"/in-service/letters/{ours}", unit, StringComparison.Ordinal);
        // The liaison was told: a notice on their notifications page that links to the letter.
        var (_, notices) = await liaison.GetAsync("/notifications");
        Assert.Contains($"href=\"/in-service/letters/{ours}\" data-test=\"notification-link\"", notices, StringComparison.Ordinal);
        Assert.Contains(ours, notices, StringComparison.Ordinal);
        var (letterStatus, letter) = await liaison.GetAsync($"/in-service/letters/{ours}");
        Assert.Equal(HttpStatusCode.OK, letterStatus);
        Assert.Contains("周立新", letter, StringComparison.Ordinal);
        using var other = await PageSession.SignInAsync(fixture.Factory, People.OtherLiaison);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/in-service/letters/{ours}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await liaison.GetAsync("/in-service/office/review")).Status);
    }
}
