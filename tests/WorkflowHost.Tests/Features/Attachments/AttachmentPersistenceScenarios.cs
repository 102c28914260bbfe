using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Attachments;

using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Attachments;

/// <summary>
/// The same story on a real SQLite file and a real PostgreSQL database: content stored once per hash in chunks, an
/// upload on a case kept forever, an upload on no case cleaned after its time with the content nobody names.
/// </summary>
public abstract class AttachmentPersistenceScenarios
{
    protected abstract Task<HostFactory> CreateFactoryAsync(IReadOnlyDictionary<string, string?>? settings = null);

    [Fact]
    public async Task Content_is_stored_once_per_hash_and_orphans_go_while_files_on_a_case_stay()
    {
        await using var factory = await CreateFactoryAsync();
        var api = new ApiDriver(factory);

        // Larger than one chunk, so reading it back crosses chunk boundaries.
        var bytes = SampleFiles.Pdf(new string('材', 200_000));
        var onCase = await Uploads.UploadedIdAsync(api, People.Liaison, "考察材料.pdf", bytes);
        var sameBytesAgain = await Uploads.UploadedIdAsync(api, People.Liaison, "副本.pdf", bytes);
        var orphan = await Uploads.UploadedIdAsync(api, People.Liaison, "草稿.pdf", SampleFiles.Pdf("draft"));
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(onCase.ToString());
        var instanceId = await api.SubmitAsync(People.Liaison, input);

        await using (var db = await Contexts(factory).CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Assert.Equal(1, await db.AttachmentBlobs.CountAsync(b => b.Sha256 == sha256, TestContext.Current.CancellationToken));
            Assert.True(await db.AttachmentChunks.CountAsync(c => c.Sha256 == sha256, TestContext.Current.CancellationToken) > 1);
        }

        // A day and a bit later the cleaner runs: the draft and the unused copy go, the file on the case stays whole.
        factory.Time.Advance(TimeSpan.FromHours(25));
        var (uploads, blobs) = await factory.Services.GetRequiredService<OrphanAttachments>().CleanAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, uploads);
        Assert.Equal(1, blobs);
        await using (var db = await Contexts(factory).CreateDbContextAsync(TestContext.Current.CancellationToken))
        {
            Assert.Equal([onCase], await db.Attachments.Select(a => a.Id).ToListAsync(TestContext.Current.CancellationToken));
            Assert.Equal(instanceId, (await db.Attachments.SingleAsync(TestContext.Current.CancellationToken)).InstanceId);
        }

        api.ForgetTokens();
        using var download = await Uploads.DownloadAsync(api, People.Office, $"/api/attachments/{onCase}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        foreach (var gone in new[] { sameBytesAgain, orphan })
        {
            using var missing = await Uploads.DownloadAsync(api, People.Liaison, $"/api/attachments/{gone}");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task The_cleaner_removes_temporary_files_a_killed_upload_left_and_keeps_those_still_written_and_anything_else()
    {
        var temp = Directory.CreateTempSubdirectory("workflowhost-temp-").FullName;
        try
        {
            await using var factory = await CreateFactoryAsync(new Dictionary<string, string?> { ["Attachments:TempFolder"] = temp });
            var now = factory.Time.GetUtcNow();
            var stale = Touch(temp, AttachmentStore.TemporaryPrefix + "cut-off", now - TimeSpan.FromHours(25));
            var live = Touch(temp, AttachmentStore.TemporaryPrefix + "streaming", now - TimeSpan.FromMinutes(1));
            var other = Touch(temp, "another-program.tmp", now - TimeSpan.FromDays(30));

            await factory.Services.GetRequiredService<OrphanAttachments>().CleanAsync(TestContext.Current.CancellationToken);

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(other));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    private static string Touch(string folder, string name, DateTimeOffset lastWrite)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [0x25]);
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
        return path;
    }

    [Fact]
    public async Task An_upload_cleaned_before_the_case_refers_to_it_is_refused_with_upload_again_and_nothing_is_started()
    {
        await using var factory = await CreateFactoryAsync();
        var api = new ApiDriver(factory);
        var late = await Uploads.UploadedIdAsync(api, People.Liaison, "过期.pdf", SampleFiles.Pdf("late"));
        factory.Time.Advance(TimeSpan.FromHours(25));
        await factory.Services.GetRequiredService<OrphanAttachments>().CleanAsync(TestContext.Current.CancellationToken);
        api.ForgetTokens();
        var input = ApiDriver.ConsultationInput();
        input["materials"] = new JsonArray(late.ToString());

        var reply = await api.PostAsync(People.Liaison, "/api/instances", new { process = "promotion-consultation", input });

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("upload it again", reply.Text, StringComparison.Ordinal);
        await using var db = await Contexts(factory).CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.Instances.CountAsync(i => i.InitiatorId == People.Liaison, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task In_a_configured_folder_the_content_is_a_file_named_by_its_hash()
    {
        var folder = Directory.CreateTempSubdirectory("workflowhost-files-").FullName;
        await using var factory = await CreateFactoryAsync(new Dictionary<string, string?> { ["Attachments:Folder"] = folder });
        var api = new ApiDriver(factory);
        var bytes = SampleFiles.Ofd();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var id = await Uploads.UploadedIdAsync(api, People.Liaison, "公文.ofd", bytes);

        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(folder, sha256[..2], sha256), TestContext.Current.CancellationToken));
        using var download = await Uploads.DownloadAsync(api, People.Liaison, $"/api/attachments/{id}");
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        await using var db = await Contexts(factory).CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await db.AttachmentChunks.CountAsync(TestContext.Current.CancellationToken));
    }

    private static IDbContextFactory<WorkflowDbContext> Contexts(HostFactory factory) =>
        factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>();
}

public sealed class AttachmentPersistenceOnSqlite : AttachmentPersistenceScenarios
{
    protected override Task<HostFactory> CreateFactoryAsync(IReadOnlyDictionary<string, string?>? settings = null) => Task.FromResult(new HostFactory(settings));
}

public sealed class AttachmentPersistenceOnPostgreSql : AttachmentPersistenceScenarios, IAsyncDisposable
{
    private readonly List<PostgreSqlTestDatabase> _databases = [];

    protected override async Task<HostFactory> CreateFactoryAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await PostgreSqlTestDatabase.CreateAsync();
        _databases.Add(database);
        return new HostFactory(settings, postgreSql: database);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
