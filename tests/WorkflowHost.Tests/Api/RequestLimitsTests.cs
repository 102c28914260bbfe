using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>Every request body has a bound (section <c>Limits</c>), refused with a 413 ProblemDetails; a wrong bound stops the host.</summary>
public sealed class RequestLimitsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_form_larger_than_the_request_limit_is_a_413_problem()
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var form = new StringContent("userName=" + new string('x', 1024 * 1024 + 1), Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync("/account/login", form, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1048576", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_body_larger_than_the_api_limit_is_a_413_problem_and_changes_nothing()
    {
        await fixture.Api.TokenAsync(People.Liaison); // signed in first: a sign-in writes its session row
        var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);

        var reply = await fixture.Api.PostAsync(People.Liaison, "/api/instances", $$"""{ "process": "promotion-consultation", "input": { "reason": "{{new string('x', 300 * 1024)}}" } }""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Contains("262144", reply.Text, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(fixture.Factory.Services));
    }

    [Theory]
    [InlineData("Limits:MaxRequestBodyBytes", "1000")]
    [InlineData("Limits:MaxFormFields", "0")]
    public async Task A_limit_out_of_its_range_stops_the_host(string key, string value)
    {
        await using var factory = new HostFactory(new Dictionary<string, string?> { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
