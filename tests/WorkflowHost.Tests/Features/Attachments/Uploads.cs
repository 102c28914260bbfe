using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Attachments;

/// <summary>Uploads and downloads through the API, signed in for real with a bearer token.</summary>
internal static class Uploads
{
    public static async Task<Reply> UploadAsync(ApiDriver api, string personId, string name, HttpContent content)
    {
        using var client = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/attachments?name=" + Uri.EscapeDataString(name)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync(personId));
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new Reply(response.StatusCode, json, text, response);
    }

    public static Task<Reply> UploadAsync(ApiDriver api, string personId, string name, byte[] bytes) =>
        UploadAsync(api, personId, name, new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

    public static async Task<Guid> UploadedIdAsync(ApiDriver api, string personId, string name, byte[] bytes)
    {
        var reply = await UploadAsync(api, personId, name, bytes);
        Assert.True(reply.Status == System.Net.HttpStatusCode.Created, reply.ToString());
        return reply.Body["id"]!.GetValue<Guid>();
    }

    public static async Task<HttpResponseMessage> DownloadAsync(ApiDriver api, string personId, string path)
    {
        using var client = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync(personId));
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.Content.LoadIntoBufferAsync(TestContext.Current.CancellationToken);
        return response;
    }
}
