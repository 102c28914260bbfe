using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Features.Backup;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Backup;
using WorkflowHost.Tests.Features.Attachments;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Backup;

/// <summary>
/// Attachments survive a backup and restore in both storage modes: in the database (chunks travel with it) and in a
/// folder (copied beside the database into <c>attachments/</c>, restored by copying it back, docs/operations.md).
/// </summary>
public abstract partial class BackupScenarios
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_backup_restores_every_attachment_byte_for_byte(bool inFolder)
    {
        var cancel = TestContext.Current.CancellationToken;
        var backupFolder = Directory.CreateTempSubdirectory("workflowhost-backup-").FullName;
        var sourceFiles = Directory.CreateTempSubdirectory("workflowhost-files-").FullName;
        var restoredFiles = Directory.CreateTempSubdirectory("workflowhost-files-").FullName;
        try
        {
            // Every kind, one file of several chunks, the same bytes twice (one blob), and one upload on no case yet.
            var files = new (string Name, byte[] Bytes)[]
            {
                ("考察报告.pdf", LargePdf()), ("任免审批表.ofd", SampleFiles.Ofd()), ("说明.docx", SampleFiles.Docx()),
                ("统计表.xlsx", SampleFiles.Xlsx()), ("照片.jpg", SampleFiles.Jpeg()), ("截图.png", SampleFiles.Png()),
                ("考察报告副本.pdf", LargePdf()),
            };
            var uploaded = new List<(Guid Id, byte[] Bytes)>();
            BackupReport backup;
            (int Uploads, int Blobs, int OnCase) rows;
            await using (var source = await CreateSourceAsync(inFolder ? new Dictionary<string, string?> { ["Attachments:Folder"] = sourceFiles } : null))
            {
                var api = new ApiDriver(source);
                foreach (var (name, bytes) in files)
                {
                    uploaded.Add((await Uploads.UploadedIdAsync(api, People.Liaison, name, bytes), bytes));
                }

                var input = ApiDriver.ConsultationInput();
                input["materials"] = new JsonArray(uploaded[0].Id.ToString(), uploaded[1].Id.ToString());
                var instance = await api.SubmitAsync(People.Liaison, input);
                var comment = await api.PostAsync(People.Liaison, $"/api/instances/{instance}/comments",
                    new { text = "补充材料见附件。", files = uploaded.Skip(2).Take(3).Select(u => u.Id) });
                Assert.True(comment.Status == HttpStatusCode.OK, comment.ToString());
                rows = await CountAsync(source);
                Assert.Equal((7, 6, 5), rows);

                var contentRoot = source.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath;
                backup = await BackupCommand.WriteAsync(source.Services, contentRoot, backupFolder, cancel);
            }

            Assert.Equal(inFolder, Directory.Exists(Path.Combine(backupFolder, AttachmentFolderBackup.FolderName)));
            Assert.Equal(inFolder ? 6 : 0, inFolder ? Directory.EnumerateFiles(Path.Combine(backupFolder, AttachmentFolderBackup.FolderName), "*", SearchOption.AllDirectories).Count() : 0);
            var database = backup.Files.Where(f => Path.GetFileName(f) is not (BackupCommand.KeyCheckFile or AttachmentFolderBackup.FolderName)).ToList();
            Dictionary<string, string?>? settings = null;
            if (inFolder)
            {
                // Restoring a folder is copying it back where the restored host's Attachments:Folder points.
                CopyFolder(Path.Combine(backupFolder, AttachmentFolderBackup.FolderName), restoredFiles);
                settings = new Dictionary<string, string?> { ["Attachments:Folder"] = restoredFiles };
            }

            await using var restored = await RestoreAsync(database, settings);
            var restoredApi = new ApiDriver(restored);
            Assert.Equal(rows, await CountAsync(restored));
            foreach (var (id, bytes) in uploaded)
            {
                using var download = await Uploads.DownloadAsync(restoredApi, People.Liaison, $"/api/attachments/{id}");
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                var body = await download.Content.ReadAsByteArrayAsync(cancel);
                Assert.Equal(bytes.Length, body.Length);
                Assert.True(bytes.AsSpan().SequenceEqual(body), $"attachment {id} differs after the restore");
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), download.Headers.GetValues("X-Content-SHA256").Single());
            }
        }
        finally
        {
            foreach (var folder in new[] { backupFolder, sourceFiles, restoredFiles })
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>A PDF of 600 KB: three database chunks, the last one short.</summary>
    private static byte[] LargePdf()
    {
        var head = SampleFiles.Pdf("大文件");
        var bytes = new byte[600 * 1024];
        new Random(20261205).NextBytes(bytes);
        head.CopyTo(bytes, 0);
        return bytes;
    }

    private static async Task<(int Uploads, int Blobs, int OnCase)> CountAsync(HostFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return (await db.Attachments.CountAsync(TestContext.Current.CancellationToken), await db.AttachmentBlobs.CountAsync(TestContext.Current.CancellationToken),
            await db.Attachments.CountAsync(a => a.InstanceId != null, TestContext.Current.CancellationToken));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
