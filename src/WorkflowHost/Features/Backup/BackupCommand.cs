using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Backup;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Persistence.Sealing;

namespace WorkflowHost.Features.Backup;

/// <summary>
/// <c>dotnet run --project src/WorkflowHost -- backup FOLDER</c>: writes a backup of the running host's data into
/// FOLDER (created if missing, never overwritten) and exits; the host itself may keep running. SQLite: online copies
/// of the workflow database and of Hangfire's file, each checked, and every journal in the copy verified.
/// PostgreSQL: <c>pg_dump --format=custom</c> of the whole database (Hangfire's schema included). docs/operations.md
/// says how to restore.
/// </summary>
internal static class BackupCommand
{
    public const string PostgreSqlDumpFile = "workflowhost.dump";

    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        if (args is not ["backup", ..])
        {
            return false;
        }

        if (args is not [_, var folder] || string.IsNullOrWhiteSpace(folder))
        {
            await Console.Error.WriteLineAsync("Usage: backup FOLDER   (a folder for the backup files; created if missing)");
            Environment.ExitCode = 2;
            return true;
        }

        try
        {
            var report = await WriteAsync(app.Services, app.Environment.ContentRootPath, Path.GetFullPath(folder), CancellationToken.None);
            await Console.Out.WriteLineAsync(report.Summary);
            Environment.ExitCode = report.JournalsIntact ? 0 : 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SqliteException or InvalidOperationException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Backup failed: {e.Message}");
            Environment.ExitCode = 1;
        }

        return true;
    }

    /// <summary>The backup itself, for the command and for tests that take one from a running host.</summary>
    public static async Task<BackupReport> WriteAsync(IServiceProvider services, string contentRoot, string folder, CancellationToken cancellationToken)
    {
        var persistence = services.GetRequiredService<PersistenceOptions>();
        var keys = services.GetRequiredService<StoreKeys>();
        Directory.CreateDirectory(folder);
        var report = persistence.Provider switch
        {
            DatabaseProvider.Sqlite => await BackUpSqliteAsync(persistence, services.GetRequiredService<SchedulingOptions>(), keys, contentRoot, folder, cancellationToken),
            DatabaseProvider.PostgreSql => await BackUpPostgreSqlAsync(persistence, folder, cancellationToken),
            _ => throw new InvalidOperationException($"No backup for provider {persistence.Provider}."),
        };

        // Files kept in a folder are not in the database: copied beside it, after it (decision 114).
        var attachments = services.GetRequiredService<Persistence.Attachments.AttachmentOptions>();
        if (!string.IsNullOrWhiteSpace(attachments.Folder))
        {
            await AttachmentFolderBackup.CopyAsync(Path.GetFullPath(attachments.Folder, contentRoot), folder, cancellationToken);
            report = report with { Files = [.. report.Files, Path.Combine(folder, AttachmentFolderBackup.FolderName)] };
        }

        // The key is not in the backup (whoever holds both could unseal open secret ballots and forge journals): only its
        // check, so whoever restores knows which Sealing:Key to bring (docs/operations.md, "Keys").
        var keyFile = Path.Combine(folder, KeyCheckFile);
        await File.WriteAllTextAsync(keyFile,
            $"This backup needs the Sealing:Key whose key check is {keys.KeyCheck}.\n"
            + "The key is not in the backup: restore it from where you keep it (docs/operations.md, \"Keys\"). A host started on this data with another key refuses to run.\n",
            cancellationToken);
        return report with { Files = [.. report.Files, keyFile], KeyCheck = keys.KeyCheck };
    }

    /// <summary>Written beside the data: which key a restore needs (its check, never the key).</summary>
    public const string KeyCheckFile = "sealing-key-check.txt";

    private static async Task<BackupReport> BackUpSqliteAsync(PersistenceOptions persistence, SchedulingOptions scheduling, StoreKeys keys, string contentRoot, string folder, CancellationToken cancellationToken)
    {
        var dataFolder = Path.GetFullPath(persistence.DataFolder, contentRoot);
        var workflowCopy = Path.Combine(folder, persistence.SqliteFileName);
        var hangfireCopy = Path.Combine(folder, scheduling.SqliteFileName);

        // Ours first: a Hangfire job for a timer the copy does not have is refused harmlessly, and a timer row without
        // its job is armed by the start-up sweep of the restored host (decision 8: the rows are the truth).
        await SqliteBackup.CopyAsync(Path.Combine(dataFolder, persistence.SqliteFileName), workflowCopy, cancellationToken);
        var hangfireSource = Path.Combine(dataFolder, scheduling.SqliteFileName);
        var files = new List<string> { workflowCopy };
        if (File.Exists(hangfireSource))
        {
            await SqliteBackup.CopyAsync(hangfireSource, hangfireCopy, cancellationToken);
            files.Add(hangfireCopy);
        }

        var options = new DbContextOptionsBuilder<WorkflowDbContext>()
            .UseSqlite(new SqliteConnectionStringBuilder { DataSource = workflowCopy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString())
            .Options;
        var copy = new PooledDbContextFactory<WorkflowDbContext>(options);
        await using (var db = await copy.CreateDbContextAsync(cancellationToken))
        {
            // A backup taken with the wrong key would report every journal broken; say what is wrong instead.
            var recorded = await db.StoreKeyChecks.AsNoTracking().FirstOrDefaultAsync(c => c.Name == StoreKeyCheck.SealingKey, cancellationToken);
            if (recorded is not null && recorded.Check != keys.KeyCheck)
            {
                throw new InvalidOperationException(
                    $"the configured Sealing:Key (key check {keys.KeyCheck[..8]}…) is not the key this database was written with ({recorded.Check[..8]}…); run the backup with the host's settings.");
            }
        }

        var audit = await JournalAudit.VerifyAllAsync(copy, keys, cancellationToken);
        return new BackupReport(files, audit);
    }

    private static async Task<BackupReport> BackUpPostgreSqlAsync(PersistenceOptions persistence, string folder, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(persistence.PostgreSqlConnectionString);
        var dump = Path.Combine(folder, PostgreSqlDumpFile);
        if (File.Exists(dump))
        {
            throw new IOException($"{dump} already exists; a backup never overwrites a file.");
        }

        var arguments = PgDumpArguments(connection, dump);
        var pgDump = PostgreSqlTools.Find("pg_dump")
            ?? throw new InvalidOperationException($"pg_dump was not found (PATH, /usr/lib/postgresql/*/bin). Run it yourself: pg_dump {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo(pgDump) { RedirectStandardError = true, RedirectStandardOutput = true };
        arguments.ForEach(start.ArgumentList.Add);
        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password; // never on the command line, where `ps` would show it
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_dump failed ({process.ExitCode}): {(await errors).Trim()}");
        }

        return new BackupReport([dump], null);
    }

    /// <summary>Custom format (compressed, restorable selectively with pg_restore), no owners or privileges so it restores under any role.</summary>
    public static List<string> PgDumpArguments(NpgsqlConnectionStringBuilder connection, string file) =>
    [
        "--format=custom", "--no-owner", "--no-privileges", $"--file={file}",
        $"--host={connection.Host ?? "localhost"}", $"--port={connection.Port}", $"--username={connection.Username}", $"--dbname={connection.Database}",
    ];
}

/// <summary>What a backup wrote and, for SQLite, what the verification of the copy found.</summary>
internal sealed record BackupReport(IReadOnlyList<string> Files, JournalAuditResult? Audit, string? KeyCheck = null)
{
    public bool JournalsIntact => Audit?.AllIntact ?? true;

    public string Summary =>
        $"Backup written: {string.Join(", ", Files)}" + (Audit is null
            ? ". Restore it into an empty database with pg_restore to verify it (docs/operations.md)."
            : $". {Audit.Instances} instances, {Audit.EventsChecked} journal events verified"
              + (Audit.AllIntact ? ", every journal intact." : $"; BROKEN journals: {string.Join(", ", Audit.Broken.Select(b => $"{b.InstanceId} at {b.Verification.FirstBrokenSequence} ({b.Verification.Problem})"))}."))
        + (KeyCheck is null ? "" : $" A restore needs the Sealing:Key with key check {KeyCheck} (not in the backup; see {BackupCommand.KeyCheckFile}).");
}

/// <summary>The PostgreSQL client programs: on the PATH, else the newest under /usr/lib/postgresql (Debian's layout).</summary>
internal static class PostgreSqlTools
{
    public static string? Find(string program)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        const string debian = "/usr/lib/postgresql";
        return Directory.Exists(debian)
            ? Directory.EnumerateDirectories(debian).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin", program)).FirstOrDefault(File.Exists)
            : null;
    }
}
