using System.Net;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Tasks;
using System.Text;
using WorkflowHost.Api;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>
/// A well-formed body is read straight into the request type and a malformed one field by field (issue 18): both ways hold
/// a body to the same rules, so whatever the short way lets through the long way would have accepted too.
/// </summary>
public sealed class ValidatedBodyTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_key_written_twice_inside_a_nested_object_is_a_400_and_starts_nothing()
    {
        await Api.TokenAsync(People.Liaison);
        var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);

        var reply = await Api.PostAsync(People.Liaison, "/api/instances",
            """{ "process": "promotion-consultation", "input": { "nomineeName": "甲", "nomineeName": "乙" } }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains("Duplicate", reply.Body["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(fixture.Factory.Services));
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_inside_a_nested_object_is_a_400_naming_the_depth()
    {
        var tooDeep = Nested(Body<object>.MaxDepth);

        var reply = await Api.PostAsync(People.Liaison, "/api/instances", $$"""{ "process": "promotion-consultation", "input": { "reason": {{tooDeep}} } }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains("depth", reply.Body["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_within_the_limit_is_read_and_left_to_the_process_to_judge()
    {
        var deepButAllowed = Nested(Body<object>.MaxDepth - 3);

        var reply = await Api.PostAsync(People.Liaison, "/api/instances", $$"""{ "process": "promotion-consultation", "input": { "reason": {{deepButAllowed}} } }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Null(reply.Body["errors"]!["body"]);
        Assert.NotNull(reply.Body["errors"]!["input.reason"]);
    }

    [Fact]
    public async Task An_unknown_field_and_a_wrongly_typed_one_are_both_named_in_one_answer()
    {
        var id = await Api.SubmitAsync();

        var reply = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/comments", """{ "text": 5, "colour": "red" }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains("text", reply.Body["errors"]!["text"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("not a field", reply.Body["errors"]!["colour"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_formed_body_that_breaks_a_rule_gets_the_validators_message_and_changes_nothing()
    {
        var id = await Api.SubmitAsync();
        var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);

        var reply = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/comments", """{ "text": "" }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.NotEmpty(reply.Body["errors"]!["text"]![0]!.GetValue<string>());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(fixture.Factory.Services));
    }

    [Fact]
    public async Task Field_names_match_whatever_their_case_as_they_did_field_by_field()
    {
        var id = await Api.SubmitAsync();

        var reply = await Api.PostAsync(People.Office, ApiDriver.Step(id, "office-check#1", "complete"), """{ "Outcome": "accept" }""");

        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
    }

    [Theory]
    [InlineData(2000, StatusCodes.Status200OK)]
    [InlineData(Body<CommentRequest>.MaxBytes / 3 + 1, StatusCodes.Status413PayloadTooLarge)]
    public async Task A_body_of_unknown_length_is_read_to_its_end_or_refused_past_the_limit(int textLength, int expected)
    {
        // No Content-Length: the reader cannot size its buffer from the header, grows it, and stops at the limit. Three
        // bytes a character: 2,000 of them (the most a comment takes) are past the first buffer.
        var services = new ServiceCollection().AddOptions().AddSingleton<IValidator<CommentRequest>, CommentRequestValidator>().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "text": "{{new string('汉', textLength)}}" }"""));

        var body = await Body<CommentRequest>.BindAsync(context, null!);

        Assert.Equal(expected, body!.Errors is null ? StatusCodes.Status200OK : body.ErrorStatus);
        Assert.Equal(expected == StatusCodes.Status200OK ? textLength : 0, body.Errors is null ? body.Value.Text!.Length : 0);
    }

    private static string Nested(int depth) => new StringBuilder().Insert(0, """{ "a": """, depth).Append('1').Append('}', depth).ToString();

}
