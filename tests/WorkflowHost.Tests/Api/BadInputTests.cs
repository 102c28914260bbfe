using System.Net;
using System.Text.Json.Nodes;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>Bad input is the client's mistake: a 400 ProblemDetails naming every invalid field (or 404, 409), never a 500.</summary>
public sealed class BadInputTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    private static JsonObject Errors(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Equal("application/problem+json", reply.Message.Content.Headers.ContentType?.MediaType);
        return reply.Body["errors"]!.AsObject();
    }

    [Fact]
    public async Task A_start_request_with_many_mistakes_names_each_of_them()
    {
        var reply = await Api.PostAsync(People.Liaison, "/api/instances", """
            {
              "process": "promotion-consultation",
              "input": {
                "kind": "demotion",
                "nomineeName": 42,
                "nomineePost": "科长",
                "partyMembership": "full-member",
                "reason": "REASON-TOO-LONG",
                "replyNeededBy": "2020-01-01",
                "shoeSize": 44
              },
              "priority": "high"
            }
            """.Replace("REASON-TOO-LONG", new string('长', 2001), StringComparison.Ordinal));

        var errors = Errors(reply);
        Assert.Equal(["input.kind", "input.nomineeName", "input.reason", "input.replyNeededBy", "input.shoeSize", "priority"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("promotion", errors["input.kind"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("past", errors["input.replyNeededBy"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("2000", errors["input.reason"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_types_and_missing_fields_are_all_reported()
    {
        var errors = Errors(await Api.PostAsync(People.Liaison, "/api/instances", """{ "process": 7, "input": "none" }"""));
        Assert.Contains("text", errors["process"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("object", errors["input"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        errors = Errors(await Api.PostAsync(People.Liaison, "/api/instances", "{}"));
        Assert.True(errors.ContainsKey("process"));
        Assert.True(errors.ContainsKey("input"));

        errors = Errors(await Api.PostAsync(People.Liaison, "/api/instances", """{ "process": "no-such-process", "input": {} }"""));
        Assert.Contains("promotion-consultation", errors["process"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    public async Task A_body_that_is_not_a_json_object_is_a_400(string body)
    {
        var errors = Errors(await Api.PostAsync(People.Liaison, "/api/instances", body));
        Assert.True(errors.ContainsKey("body"));
    }

    [Fact]
    public async Task Votes_and_tasks_check_their_fields_and_options()
    {
        var id = await Api.AtBallotAsync();
        var errors = Errors(await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "maybe" }));
        Assert.Contains("consent", errors["choice"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        errors = Errors(await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), """{ "choice": true, "reason": 5 }"""));
        Assert.Equal(["choice", "reason"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        errors = Errors(await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent", reason = new string('x', 1001) }));
        Assert.True(errors.ContainsKey("reason"));

        errors = Errors(await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "recuse"), new { }));
        Assert.True(errors.ContainsKey("reason"));

        var submitted = await Api.SubmitAsync();
        errors = Errors(await Api.PostAsync(People.Office, ApiDriver.Step(submitted, "office-check#1", "complete"), new { outcome = "approve-everything" }));
        Assert.Contains("accept", errors["outcome"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_in_the_past_or_both_ways_of_extending_is_refused()
    {
        var id = await Api.AtBallotAsync();
        var path = ApiDriver.Step(id, "committee-ballot#2", "deadline");
        var errors = Errors(await Api.PostAsync(People.Secretary, path, new { dueAt = "2026-01-01T17:30:00+08:00", reason = "延期" }));
        Assert.Contains("future", errors["dueAt"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        errors = Errors(await Api.PostAsync(People.Secretary, path, new { dueAt = "2026-12-31T17:30:00+08:00", extendByWorkingDays = 3 }));
        Assert.True(errors.ContainsKey("dueAt"));
        Assert.True(errors.ContainsKey("reason"));

        errors = Errors(await Api.PostAsync(People.Secretary, path, """{ "dueAt": "next week", "reason": "延期" }"""));
        Assert.Contains("date", errors["dueAt"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_filters_name_every_malformed_one()
    {
        var errors = Errors(await Api.GetAsync(People.Secretary, "/api/instances?state=lost&from=yesterday&to=2026-13-01&page=0&pageSize=1000"));
        Assert.Equal(["from", "page", "pageSize", "state", "to"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_closed_steps_409()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Secretary, $"/api/instances/{Guid.NewGuid()}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(People.Secretary, "/api/instances/not-a-guid")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync(null, "/api/processes/no-such-process")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostAsync(People.Member, ApiDriver.Step(Guid.NewGuid(), "committee-ballot#2", "vote"), new { choice = "consent" })).Status);

        var id = await Api.AtBallotAsync();
        var unknownStep = await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#99", "vote"), new { choice = "consent" });
        Assert.Equal(HttpStatusCode.NotFound, unknownStep.Status);

        var closed = await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), new { outcome = "accept" });
        Assert.Equal(HttpStatusCode.Conflict, closed.Status);
        Assert.Equal("closed", closed.Body["code"]!.GetValue<string>());

        var voted = await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" });
        Assert.Equal(HttpStatusCode.OK, voted.Status);
        var again = await Api.PostAsync(People.Member, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "object" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("alreadyVoted", again.Body["code"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await Api.PostAsync(People.Liaison, $"/api/instances/{id}/withdraw", new { })).Status);
        var ended = await Api.PostAsync(People.Secretary, ApiDriver.Step(id, "committee-ballot#2", "vote"), new { choice = "consent" });
        Assert.Equal(HttpStatusCode.Conflict, ended.Status);
        Assert.Equal("instanceEnded", ended.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_idempotency_key_is_a_400()
    {
        var reply = await Api.PostAsync(People.Liaison, "/api/instances", new { process = "promotion-consultation", input = ApiDriver.ConsultationInput() }, new string('k', 101));
        Assert.True(Errors(reply).ContainsKey("Idempotency-Key"));
    }

    [Fact]
    public async Task No_response_to_bad_input_is_a_500()
    {
        var id = await Api.AtBallotAsync();
        string[] bodies = ["", "null", "{}", "{\"choice\":null}", "{\"choice\":{}}", "{\"choice\":[]}", "{\"input\":{\"a\":{\"b\":{\"c\":1}}}}", new string('[', 100), "{\"dueAt\":1e400}"];
        string[] paths =
        [
            "/api/instances", $"/api/instances/{id}/withdraw", $"/api/instances/{id}/comments",
            ApiDriver.Step(id, "committee-ballot#2", "vote"), ApiDriver.Step(id, "committee-ballot#2", "recuse"),
            ApiDriver.Step(id, "committee-ballot#2", "offline-votes"), ApiDriver.Step(id, "committee-ballot#2", "deadline"),
            ApiDriver.Step(id, "office-check#1", "complete"), "/api/account/token",
        ];
        foreach (var path in paths)
        {
            foreach (var body in bodies)
            {
                var reply = await Api.PostAsync(People.Secretary, path, body);
                Assert.True((int)reply.Status is >= 400 and < 500, $"{path} with {body}: {reply}");
            }
        }
    }
}
