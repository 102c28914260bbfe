using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Api;

/// <summary>What the hostile-request fuzzer found answering 500, each pinned as a 4xx.</summary>
public sealed partial class HostileRequestFindingsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private ApiDriver Api => fixture.Api;

    [Fact]
    public async Task A_key_written_twice_in_a_body_is_a_400_naming_it()
    {
        var id = await Api.SubmitAsync();
        var before = await DatabaseSnapshot.TakeAsync(fixture.Factory.Services);

        var reply = await Api.PostAsync(People.Liaison, $"/api/instances/{id}/comments", """{ "text": "a", "text": "b" }""");

        Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
        Assert.Contains("Duplicate", reply.Body["errors"]!["body"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(fixture.Factory.Services));
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_is_a_400()
    {
        var id = await Api.SubmitAsync();
        using var client = fixture.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/instances/{id}/comments")
        {
            Content = new ByteArrayContent([.. "{\"text\":\""u8, 0xC0, 0xAF, .. "\"}"u8]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(People.Liaison));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", "null", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", """{ "userName": "p-liaison-gao" }""", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("multipart/form-data; boundary=x", "{}", HttpStatusCode.BadRequest)]
    public async Task The_sign_in_form_posted_as_anything_but_a_form_is_a_4xx(string contentType, string body, HttpStatusCode expected)
    {
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await client.PostAsync("/account/login", content, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_post_to_a_page_without_that_handler_is_a_405()
    {
        var id = await Api.SubmitAsync();
        using var client = fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await Api.TokenAsync(People.Office);
        using var inbox = new HttpRequestMessage(HttpMethod.Get, "/inbox");
        inbox.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var page = await client.SendAsync(inbox, TestContext.Current.CancellationToken);
        var formToken = PageForms.AntiforgeryToken(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) ?? "";
        Assert.NotEmpty(formToken);

        foreach (var path in new[] { $"/instances/{id}", $"/work/{id}/office-check%231?handler=nope" })
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent([new("__RequestVerificationToken", formToken), new("outcome", "accept")]),
            };
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(post, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{path}: {(int)response.StatusCode}");
        }
    }
}
