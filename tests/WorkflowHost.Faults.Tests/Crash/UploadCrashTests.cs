using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WorkflowHost.Faults.Tests.Support;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Attachments;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Faults.Tests.Crash;

/// <summary>
/// Uploads under SIGKILL: liaisons upload files of random sizes (up to three database chunks) and put half of them on a
/// new consultation, while the host is killed (once: a restart is most of the run's time). Every upload answered 201 is
/// there after the restart, byte for byte; then the orphan cleaner, run as if its grace period had passed, leaves no upload
/// on no case, no content without an upload, no chunk without its content and no temporary file of an upload cut off by
/// the kill, and the files on a case untouched.
/// </summary>
public sealed class UploadCrashTests
{
    private const int Kills = 1;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task An_acknowledged_upload_survives_sigkill_and_the_cleaner_leaves_no_orphans(DatabaseProvider provider)
    {
        var cancel = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await using var database = await FaultDatabase.CreateAsync(provider);
        var temp = Directory.CreateDirectory(Path.Combine(database.Folder, "upload-temp")).FullName;
        var ledger = new FaultLedger();
        await using var host = new HostProcess("host-uploads", new Dictionary<string, string>(database.HostSettings()) { ["Attachments__TempFolder"] = temp }, database.Folder);
        await host.StartAsync(TimeSpan.FromMinutes(3), cancel);
        using var api = new ApiClient([host.BaseAddress], ledger);
        await api.SignInAsync(LoadDriver.Liaisons, cancel);

        var seed = Environment.TickCount & 0xFFFF;
        var acknowledged = new ConcurrentBag<Upload>();
        var onCase = new ConcurrentBag<Guid>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 3).Select(w => Task.Run(() => UploadAsync(api, ledger, new Random(seed + w), w, acknowledged, onCase, stop.Token), CancellationToken.None)).ToList();
        var random = new Random(seed);
        for (var kill = 1; kill <= Kills; kill++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1 + random.NextDouble() * 1.5), cancel);
            host.Kill();
            await Task.Delay(TimeSpan.FromSeconds(random.NextDouble()), cancel);
            await host.StartAsync(TimeSpan.FromMinutes(3), cancel);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancel);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        Assert.True(ledger.Unexpected.Count == 0, "unexpected answers:\n" + string.Join('\n', ledger.Unexpected.Take(20)));
        Assert.True(acknowledged.Count >= 3 && !onCase.IsEmpty, $"the run acknowledged {acknowledged.Count} uploads and put {onCase.Count} on a case (seed {seed})");

        // Every acknowledged upload is there after the kills, byte for byte.
        foreach (var upload in acknowledged)
        {
            var bytes = await api.DownloadAsync(upload.Person, upload.Id, cancel);
            Assert.True(bytes is not null, $"acknowledged upload {upload.Id} is gone (seed {seed})");
            Assert.Equal(upload.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        // The cleaner, as if its grace period had passed for every upload made so far.
        var options = new AttachmentOptions { TempFolder = temp };
        var cleaner = new OrphanAttachments(new Contexts(database), options, new BlobContent(options, database.Folder),
            new Later(options.OrphanAfter + TimeSpan.FromMinutes(1)), new StepWriteGate(database.Options), NullLogger<OrphanAttachments>.Instance);
        var leftBehind = Directory.EnumerateFiles(temp).Count();
        var (uploads, blobs) = await cleaner.CleanAsync(cancel);
        output?.WriteLine($"{database.Name}: {Kills} SIGKILLs (seed {seed}); {acknowledged.Count} uploads acknowledged, {onCase.Count} put on a case; "
            + $"the cleaner removed {uploads} uploads, {blobs} blobs and {leftBehind} temporary files left by the kill");
        Assert.Empty(Directory.EnumerateFiles(temp));

        await using (var db = database.Open())
        {
            Assert.Equal(0, await db.Attachments.CountAsync(a => a.InstanceId == null, cancel));
            Assert.Equal(0, await db.AttachmentBlobs.CountAsync(b => !db.Attachments.Any(a => a.Sha256 == b.Sha256), cancel));
            Assert.Equal(0, await db.AttachmentChunks.CountAsync(c => !db.AttachmentBlobs.Any(b => b.Sha256 == c.Sha256), cancel));
            var sizes = await db.AttachmentBlobs.Select(b => new { b.Size, Stored = db.AttachmentChunks.Where(c => c.Sha256 == b.Sha256).Sum(c => (long)c.Data.Length) }).ToListAsync(cancel);
            Assert.All(sizes, s => Assert.Equal(s.Size, s.Stored)); // no blob is half written
            var kept = onCase.ToList();
            Assert.Equal(kept.Count, await db.Attachments.CountAsync(a => kept.Contains(a.Id) && a.InstanceId != null, cancel));
        }

        foreach (var upload in acknowledged.Where(u => onCase.Contains(u.Id)))
        {
            var bytes = await api.DownloadAsync(upload.Person, upload.Id, cancel);
            Assert.Equal(upload.Sha256, bytes is null ? null : Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    private sealed record Upload(Guid Id, string Person, string Sha256);

    /// <summary>Uploads a PDF of random size; every other acknowledged one goes on a new consultation (started with a key).</summary>
    private static async Task UploadAsync(ApiClient api, FaultLedger ledger, Random random, int worker, ConcurrentBag<Upload> acknowledged, ConcurrentBag<Guid> onCase, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var person = LoadDriver.Liaisons[random.Next(LoadDriver.Liaisons.Count)];
            var bytes = new byte[1024 + random.Next(random.Next(3) == 0 ? 700 * 1024 : 8 * 1024)];
            random.NextBytes(bytes);
            "%PDF-1.4\n"u8.CopyTo(bytes);
            var answer = await api.UploadAsync(person, $"考察材料-{worker}-{n}.pdf", bytes, CancellationToken.None);
            if (answer is null)
            {
                await Task.Delay(100, CancellationToken.None); // lost with the host: not acknowledged, maybe an orphan
                continue;
            }

            if (answer.Status != HttpStatusCode.Created)
            {
                ledger.RecordUnexpected($"upload by {person}: {answer}");
                continue;
            }

            var id = answer.Json!["id"]!.GetValue<Guid>();
            acknowledged.Add(new Upload(id, person, answer.Json["sha256"]!.GetValue<string>()));
            if (random.Next(2) == 0)
            {
                continue;
            }

            var marker = $"u{worker}-{n}-{random.Next():x}";
            var input = new JsonObject
            {
                ["kind"] = "promotion", ["nomineeName"] = marker, ["nomineePost"] = "科长", ["proposedPost"] = "副局长", ["partyMembership"] = "full-member",
                ["reason"] = "工作扎实。", ["replyNeededBy"] = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["materials"] = new JsonArray(id.ToString()),
            };
            var start = await api.PostAsync(person, "/api/instances", new { process = "promotion-consultation", input }, $"start-{marker}", CancellationToken.None);
            if (start.Status == HttpStatusCode.Created)
            {
                onCase.Add(id);
            }
            else
            {
                ledger.RecordUnexpected($"start with upload {id}: {start}");
            }
        }
    }

    private sealed class Contexts(FaultDatabase database) : IDbContextFactory<WorkflowDbContext>
    {
        public WorkflowDbContext CreateDbContext() => database.Open();
    }

    /// <summary>The clock the cleaner reads: ahead by its grace period, so every upload made so far counts as old.</summary>
    private sealed class Later(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + ahead;
    }
}
