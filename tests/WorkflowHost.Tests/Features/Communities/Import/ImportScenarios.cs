using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Persistence;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Communities.Import;

/// <summary>
/// The import as a client drives it, signed in for real as Binhe's administrator, on whichever database the host has:
/// a good file previewed (nothing written) then imported (every change journaled, in one transaction), then the same
/// file again (nothing changes); a file with bad rows (each error named, nothing written).
/// </summary>
internal static class ImportScenarios
{
    public const string Binhe = "/api/communities/binhe";
    public const string XlsxType = Spreadsheet.XlsxType;

    public static async Task<Reply> PostFileAsync(ApiDriver api, string? person, string path, byte[] file, string contentType)
    {
        using var client = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(file) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (person is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await api.TokenAsync(person));
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new Reply(response.StatusCode, json, text, response);
    }

    /// <summary>What must not move when nothing is written: the directory's version, its journal, its units, people and terms.</summary>
    public static async Task<(long Version, int Journal, int Units, int People, int Terms)> StateAsync(HostFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        return (
            await db.Communities.Where(c => c.Id == "binhe").Select(c => c.DirectoryVersion).SingleAsync(),
            await db.DirectoryChanges.CountAsync(c => c.CommunityId == "binhe"),
            await db.Units.CountAsync(u => u.CommunityId == "binhe"),
            await db.People.CountAsync(p => p.CommunityId == "binhe"),
            await db.CommitteeTerms.CountAsync(t => t.CommunityId == "binhe"));
    }

    public static async Task ValidFileTwiceAsync(HostFactory factory, bool xlsx)
    {
        var api = new ApiDriver(factory);
        var file = xlsx ? await ImportFiles.XlsxAsync(ImportFiles.Valid) : ImportFiles.Csv(ImportFiles.Valid);
        var type = xlsx ? XlsxType : "text/csv";
        var before = await StateAsync(factory);

        var preview = await PostFileAsync(api, People.Administrator, $"{Binhe}/import/preview", file, type);
        Assert.True(preview.Status == HttpStatusCode.OK, preview.ToString());
        Assert.False(preview.Body["committed"]!.GetValue<bool>());
        var outcomes = preview.Body["rows"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
        Assert.Equal("added", outcomes["unit-binhe-bakery"]);
        Assert.Equal("changed", outcomes["unit-hongxin-law-firm"]);
        Assert.Equal("added", outcomes["p-liaison-bakery"]);
        Assert.Equal("added", outcomes["2"]);
        var hongxin = preview.Body["rows"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "unit-hongxin-law-firm")!;
        Assert.Equal(["nameEn", "joinedOn"], hongxin["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(before, await StateAsync(factory));

        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var commit = await PostFileAsync(api, People.Administrator, $"{Binhe}/import", file, type);
        Assert.True(commit.Status == HttpStatusCode.OK, commit.ToString());
        Assert.True(commit.Body["committed"]!.GetValue<bool>());
        var after = await StateAsync(factory);
        Assert.Equal(before.Units + 1, after.Units);
        Assert.Equal(before.People + 1, after.People);
        Assert.Equal(before.Terms + 1, after.Terms);
        Assert.Equal(before.Version + 1, after.Version); // one transaction, one version bump
        Assert.Equal(after.Journal - before.Journal, commit.Body["journalEntries"]!.GetValue<int>());

        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync())
        {
            var changes = await db.DirectoryChanges.Where(c => c.CommunityId == "binhe").OrderByDescending(c => c.At).Take(after.Journal - before.Journal).ToListAsync();
            Assert.All(changes, c => Assert.Equal(People.Administrator, c.ActorId));
            Assert.Single(changes.Select(c => c.At).Distinct());
            var kinds = changes.Select(c => (c.Kind, c.SubjectId)).ToHashSet();
            Assert.Contains(("unit-added", "unit-binhe-bakery"), kinds);
            Assert.Contains(("unit-edited", "unit-hongxin-law-firm"), kinds);
            Assert.Contains(("person-added", "p-liaison-bakery"), kinds);
            Assert.Contains(("term-started", "term-binhe-2"), kinds);
            Assert.Contains(("role-granted", "p-liaison-bakery"), kinds);
            var edited = changes.Single(c => c.Kind == "unit-edited");
            Assert.Contains("Hongxin Law Firm", edited.BeforeJson, StringComparison.Ordinal);
            Assert.Contains("Hongxin Law Offices", edited.AfterJson, StringComparison.Ordinal);

            var liaison = await db.People.Include(p => p.Roles).SingleAsync(p => p.Id == "p-liaison-bakery");
            Assert.Equal("unit-binhe-bakery", liaison.UnitId);
            Assert.Equal([RoleNames.CommitteeMember, RoleNames.UnitLiaison], liaison.Roles.Select(r => r.Role).Order(StringComparer.Ordinal));
            var term = await db.CommitteeTerms.Include(t => t.Members).SingleAsync(t => t.CommunityId == "binhe" && t.EndsOn == null);
            Assert.Equal(2, term.Number);
            Assert.Equal(["p-liaison-bakery", "p-member-li"], term.Members.Select(m => m.PersonId).Order(StringComparer.Ordinal));
        }

        // The same file again: all unchanged in the preview, and the import writes nothing, not even a version bump.
        factory.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await PostFileAsync(api, People.Administrator, $"{Binhe}/import/preview", file, type);
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
        Assert.All(again.Body["rows"]!.AsArray(), r => Assert.Equal("unchanged", r!["outcome"]!.GetValue<string>()));
        var twice = await PostFileAsync(api, People.Administrator, $"{Binhe}/import", file, type);
        Assert.True(twice.Status == HttpStatusCode.OK, twice.ToString());
        Assert.Equal(0, twice.Body["journalEntries"]!.GetValue<int>());
        Assert.Equal(0, twice.Body["added"]!.GetValue<int>() + twice.Body["changed"]!.GetValue<int>());
        Assert.Equal(after, await StateAsync(factory));
    }

    public static async Task BadRowsAsync(HostFactory factory, bool xlsx)
    {
        var api = new ApiDriver(factory);
        var file = xlsx ? await ImportFiles.XlsxAsync(ImportFiles.Bad) : ImportFiles.Csv(ImportFiles.Bad, byteOrderMark: false);
        var before = await StateAsync(factory);

        foreach (var path in new[] { $"{Binhe}/import/preview", $"{Binhe}/import" })
        {
            var reply = await PostFileAsync(api, People.Administrator, path, file, xlsx ? XlsxType : "text/csv");
            Assert.True(reply.Status == HttpStatusCode.BadRequest, reply.ToString());
            Assert.Equal("invalidImport", reply.Body["code"]!.GetValue<string>());
            var cells = reply.Body["rows"]!.AsArray()
                .Select(e => (e!["sheet"]!.GetValue<string>(), e["row"]!.GetValue<int>(), e["column"]!.GetValue<string>())).ToList();
            Assert.Equal(ImportFiles.BadCells(!xlsx).Order(), cells.Order());
            Assert.All(reply.Body["rows"]!.AsArray(), e => Assert.False(string.IsNullOrWhiteSpace(e!["reason"]!.GetValue<string>())));
        }

        Assert.Equal(before, await StateAsync(factory));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Units.AnyAsync(u => u.Id == "unit-binhe-good"));
    }
}
