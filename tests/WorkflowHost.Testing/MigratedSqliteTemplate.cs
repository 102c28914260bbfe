using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;

namespace WorkflowHost.Testing;

/// <summary>
/// A SQLite file with every migration applied and nothing else (no seeds, no key, no definitions), made once per test
/// process and copied for each host that asks. A host started on the copy still runs its whole start-up (it finds no
/// migration pending, then seeds with its own clock), so a scenario sees what a fresh database would give it; only
/// the dozens of migrations, each a transaction synced to disk, are not replayed for every scenario. Only for tests
/// that are not about migrating: those start from an empty file.
/// </summary>
public static class MigratedSqliteTemplate
{
    /// <summary>Made on the thread pool, so that a caller that must wait for it synchronously cannot deadlock.</summary>
    private static readonly Lazy<Task<string>> Template = new(() => Task.Run(() => CreateAsync()));

    /// <summary>Copies the migrated file to <paramref name="filePath"/> (which must not exist yet).</summary>
    public static void CopyTo(string filePath)
    {
        var template = Template.Value.GetAwaiter().GetResult();
        Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
        File.Copy(template, filePath);
    }

    private static async Task<string> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("workflowhost-template-").FullName;
        var options = new PersistenceOptions { Provider = DatabaseProvider.Sqlite, DataFolder = folder };
        var builder = new DbContextOptionsBuilder<WorkflowDbContext>();
        PersistenceServiceCollectionExtensions.Configure(builder, options, folder);
        await using (var db = new WorkflowDbContext(builder.Options))
        {
            await db.Database.MigrateAsync();
            // One self-contained file to copy: no write-ahead log beside it. A host's own connections switch it back to WAL.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=DELETE;");
        }

        var connectionString = PersistenceServiceCollectionExtensions.SqliteConnectionString(options, folder);
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        var file = Path.Combine(folder, options.SqliteFileName);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temporary folder cleaning.
            }
        };
        return file;
    }
}
