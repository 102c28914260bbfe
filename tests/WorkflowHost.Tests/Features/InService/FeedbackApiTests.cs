using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.InService.Feedback;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.InService;

/// <summary>
/// 年度反馈 through the HTTP API, signed in for real: the seeded year's review and letters, a unit reading only its own letter,
/// a member's own feedback, and the office evaluating a new year all or nothing before issuing the letters.
/// </summary>
public sealed class FeedbackApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string HousingBureau = "unit-housing-bureau";
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task The_seeded_letters_are_read_by_the_office_and_each_unit_its_own_and_the_member_sees_the_feedback()
    {
        var review = await Api.GetAsync(People.Office, "/api/in-service/reviews/2025");
        Assert.True(review.Status == HttpStatusCode.OK, review.ToString());
        Assert.False(review.Body["open"]!.GetValue<bool>());
        Assert.Equal(5, review.Body["members"]!.AsArray().Count);
        Assert.All(review.Body["members"]!.AsArray(), m => Assert.NotNull(m!["letterNumber"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.GetAsync(People.Liaison, "/api/in-service/reviews/2025")).Status);

        var mine = await Api.GetAsync(People.Liaison, "/api/in-service/letters");
        var letter = Assert.Single(mine.Body.AsArray(), l => l!["year"]!.GetValue<int>() == 2025)!; // the other test may add 2026's
        Assert.Equal((HousingBureau, 2025), (letter["unitId"]!.GetValue<string>(), letter["year"]!.GetValue<int>()));
        var number = letter["number"]!.GetValue<string>();
        var read = await Api.GetAsync(People.Liaison, $"/api/in-service/letters/{number}");
        Assert.Equal("p-inservice-zhou", Assert.Single(read.Body["members"]!.AsArray())!["personId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.OtherLiaison, $"/api/in-service/letters/{number}")).Status);
        Assert.Empty((await Api.GetAsync(People.OtherLiaison, "/api/in-service/letters")).Body.AsArray()); // the police station has no member
        Assert.Equal(5, (await Api.GetAsync(People.Office, "/api/in-service/letters")).Body.AsArray().Count(l => l!["year"]!.GetValue<int>() == 2025));

        var feedback = Assert.Single((await Api.GetAsync(People.InService, "/api/in-service/feedback")).Body.AsArray(), f => f!["year"]!.GetValue<int>() == 2025)!;
        Assert.Equal((2025, "excellent"), (feedback["year"]!.GetValue<int>(), feedback["rating"]!.GetValue<string>()));
        Assert.StartsWith("FK-", feedback["letterNumber"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_office_evaluates_a_year_all_or_nothing_then_issues_the_letters_and_the_review_closes()
    {
        var opened = Assert.Single(await fixture.Factory.Services.GetRequiredService<AnnualFeedbackOpener>().OpenAsync(2026));
        Assert.True(opened.Opened);
        const string path = "/api/in-service/reviews/2026/evaluations";
        var members = (await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray().Select(m => m!["person"]!.GetValue<string>()).ToList();
        Assert.Equal(6, members.Count);

        var bad = await Api.PostAsync(People.Office, path, new
        {
            evaluations = new object[] { new { member = members[0], rating = "great" }, new { member = members[1], rating = "competent", comment = new string('好', 201) } },
        });
        Assert.True(bad.Status == HttpStatusCode.BadRequest, bad.ToString());
        Assert.Equal(["evaluations[0].rating", "evaluations[1].comment"], bad.Body["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await Api.PostAsync(People.Secretary, path, new { evaluations = new[] { new { member = members[0], rating = "competent" } } })).Status);
        Assert.All((await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body["members"]!.AsArray(), m => Assert.Null(m!["rating"]));

        var saved = await Api.PostAsync(People.Office, path, new { evaluations = new[] { new { member = members[0], rating = "excellent", comment = "表现突出" } } });
        Assert.True(saved.Status == HttpStatusCode.OK, saved.ToString());
        var early = await Api.PostAsync(People.Office, path, new { evaluations = Array.Empty<object>(), issue = true });
        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.Contains("evaluations", early.Body["errors"]!.AsObject().Select(e => e.Key));

        var issued = await Api.PostAsync(People.Office, path, new
        {
            evaluations = members.Select((m, i) => new { member = m, rating = i == 0 ? "excellent" : "competent", comment = i == 0 ? "表现突出" : null }).ToArray(),
            issue = true,
        });
        Assert.True(issued.Status == HttpStatusCode.OK, issued.ToString());
        var closed = (await Api.GetAsync(People.Office, "/api/in-service/reviews/2026")).Body;
        Assert.False(closed["open"]!.GetValue<bool>());
        Assert.Equal(("excellent", "表现突出"), (closed["members"]![0]!["rating"]!.GetValue<string>(), closed["members"]![0]!["comment"]!.GetValue<string>()));
        Assert.Equal(6, closed["members"]!.AsArray().Select(m => m!["letterNumber"]!.GetValue<string>()).Distinct().Count());

        var again = await Api.PostAsync(People.Office, path, new { evaluations = new[] { new { member = members[0], rating = "competent" } } });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("reviewClosed", again.Body["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Office, "/api/in-service/reviews/2031/evaluations", new { evaluations = Array.Empty<object>() })).Status);
        Assert.Equal(2, (await Api.GetAsync(People.Liaison, "/api/in-service/letters")).Body.AsArray().Count);
    }
}
