using System.Net;
using System.Text.Json;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Status;

public sealed class StatusPageTests
{
    [Fact]
    public async Task The_host_starts_on_sqlite_with_the_seeds_and_shows_its_processes_and_signed_in_the_seeded_community()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        // A visitor sees the processes loaded from workflows/ (decision 150: no community's names or figures).
        Assert.Contains("promotion-consultation", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(factory.DataFolder, "workflowhost.db")));

        // The seeds: the secretary signs in and finds their community on the same page.
        using var secretary = await CookieBrowser.SignedInAsync(factory, People.Secretary);
        using var signedIn = await secretary.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/"));
        Assert.Contains("滨河社区", await signedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_catalogue_lists_each_process_with_its_input_fields()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/processes", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var consultation = document.RootElement.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "promotion-consultation");
        var fields = consultation.GetProperty("inputs").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Contains("nomineeName", fields);
        Assert.Contains("replyNeededBy", fields);
        Assert.Equal("评先评优、提拔使用征求意见", consultation.GetProperty("name").GetProperty("zh-CN").GetString());
    }

    [Fact]
    public async Task Health_answers_healthy()
    {
        await using var factory = new HostFactory();
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health", TestContext.Current.CancellationToken));
    }
}
