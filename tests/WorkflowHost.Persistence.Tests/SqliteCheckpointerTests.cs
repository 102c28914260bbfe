using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;
using WorkflowHost.Testing;

namespace WorkflowHost.Persistence.Tests;

/// <summary>
/// SQLite's write-ahead log checkpointed off the commit path (decision 167), on a real file. The test host starts no
/// hosted services, so its checkpointer waits until a test calls <see cref="SqliteCheckpointer.Start"/>: until then the
/// group writer's commits only add to the log. Each step here writes a blob of about fifty pages through the group
/// writer, so the log's length is known in pages.
/// </summary>
public sealed class SqliteCheckpointerTests
{
    private const int BlobBytes = 200_000;

    [Fact]
    public async Task A_commit_never_checkpoints_inline_and_the_checkpointer_then_brings_the_log_back()
    {
        await using var scene = await Scene.StartAsync();

        await scene.CommitBlobsAsync(30);

        // SQLite's own checkpoint would have run inside the commit that passed 1,000 pages and restarted the log there.
        Assert.True(scene.Checkpointer.WalPages >= 1_400, $"the log holds {scene.Checkpointer.WalPages} pages");
        Assert.True(scene.WalFileBytes() >= 1_400L * scene.PageSize, $"the log file is {scene.WalFileBytes()} bytes");
        Assert.Equal(0, scene.Checkpointer.PassiveCheckpoints);
        Assert.Equal(0, scene.Checkpointer.InlineCheckpoints);

        scene.Checkpointer.Start();
        await WaitUntilAsync(() => scene.Checkpointer.PassiveCheckpoints >= 1, "a background checkpoint");
        await scene.CommitBlobsAsync(1);

        // The log was copied back whole, so the next commit started it afresh.
        Assert.True(scene.Checkpointer.WalPages < 100, $"the log holds {scene.Checkpointer.WalPages} pages");
        Assert.Equal(0, scene.Checkpointer.InlineCheckpoints);
        Assert.Equal(31, await scene.BlobCountAsync());
    }

    [Fact]
    public async Task A_reader_pinning_the_log_holds_it_long_without_failing_a_commit_and_once_it_ends_the_log_comes_back()
    {
        await using var scene = await Scene.StartAsync(checkpointPages: 100, hardLimitPages: 100_000);
        scene.Checkpointer.Start();
        await scene.CommitBlobsAsync(2);

        // A reader in the middle of a read transaction: no checkpoint may copy a page it might still read from the log.
        await using var reader = scene.OpenConnection();
        await using var pin = reader.BeginTransaction(deferred: true);
        await using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM ballast";
            Assert.Equal(2L, await read.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await scene.CommitBlobsAsync(24);
        await WaitUntilAsync(() => scene.Checkpointer.PassiveCheckpoints >= 3, "background checkpoints");

        Assert.True(scene.Checkpointer.WalPages >= 1_000, $"the log holds {scene.Checkpointer.WalPages} pages");
        Assert.Equal(0, scene.Checkpointer.InlineCheckpoints);

        await pin.CommitAsync(TestContext.Current.CancellationToken);
        // The reader gone, the next commit wakes a checkpoint that copies the whole log, and the commit after that
        // checkpoint starts the log afresh. Waiting for the checkpointer to be idle, not for the count of checkpoints to
        // move: on a loaded machine the count can move for a checkpoint that started before the commit and so copied
        // less than the whole log (a CI run saw six commits go by that way).
        await scene.CommitBlobsAsync(1);
        await WaitUntilAsync(() => scene.Checkpointer.Idle, "the checkpoint woken after the reader ended");
        await scene.CommitBlobsAsync(1);

        Assert.True(scene.Checkpointer.WalPages < 200, $"the log holds {scene.Checkpointer.WalPages} pages");
        Assert.Equal(28, await scene.BlobCountAsync());
    }

    [Fact]
    public async Task The_hard_limit_holds_when_no_checkpointer_runs()
    {
        await using var scene = await Scene.StartAsync(checkpointPages: 100, hardLimitPages: 1_000);
        var longest = 0;

        for (var i = 0; i < 60; i++)
        {
            await scene.CommitBlobsAsync(1);
            longest = Math.Max(longest, scene.Checkpointer.WalPages);
        }

        // The writer truncated the log after the commit that reached the bound: never more than the bound and a step.
        Assert.True(scene.Checkpointer.InlineCheckpoints >= 2, $"{scene.Checkpointer.InlineCheckpoints} inline checkpoints");
        Assert.True(longest < 1_000 + 100, $"the log reached {longest} pages");
        Assert.True(scene.WalFileBytes() < (1_000L + 100) * scene.PageSize, $"the log file is {scene.WalFileBytes()} bytes");
        Assert.Equal(0, scene.Checkpointer.PassiveCheckpoints);
        Assert.Equal(60, await scene.BlobCountAsync());
    }

    [Fact]
    public async Task Steps_committed_only_to_the_log_are_there_after_the_process_is_gone_and_disposal_empties_the_log()
    {
        var database = new SqliteTestDatabase();
        await using var _ = database;
        var crashCopy = Path.Combine(database.ContentRoot, "crash");
        Directory.CreateDirectory(crashCopy);
        {
            var scene = await Scene.StartAsync(database);
            await scene.CommitBlobsAsync(20);
            Assert.True(scene.Checkpointer.WalPages >= 900, $"the log holds {scene.Checkpointer.WalPages} pages");

            // The files as a kill would leave them: the database file without the steps, the log with them.
            foreach (var suffix in new[] { "", "-wal" })
            {
                File.Copy(database.FilePath + suffix, Path.Combine(crashCopy, "copy.db" + suffix));
            }

            await scene.Host.DisposeAsync();
            // The final checkpoint truncated the log (the pool still holds connections, so SQLite has not removed it).
            Assert.True(File.Exists(database.FilePath + "-wal"));
            Assert.Equal(0L, new FileInfo(database.FilePath + "-wal").Length);
            SqliteConnection.ClearAllPools();
        }

        await using (var copy = new SqliteConnection($"Data Source={Path.Combine(crashCopy, "copy.db")};Pooling=False"))
        {
            await copy.OpenAsync(TestContext.Current.CancellationToken);
            await using var count = copy.CreateCommand();
            count.CommandText = "SELECT count(*) FROM ballast";
            Assert.Equal(20L, await count.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await using var restarted = await WorkflowTestHost.StartAsync(database);
        await using var db = await restarted.OpenDbAsync();
        Assert.Equal(20, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS Value FROM ballast").SingleAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_checkpointers_connection_syncs_fully_whatever_a_pooled_connection_was_left_with()
    {
        await using var scene = await Scene.StartAsync();
        await scene.CommitBlobsAsync(2);

        // The only idle connection in the host's pool, left by its last user at synchronous=OFF (the setting is the
        // connection's, not the file's): a checkpoint run on it would sync nothing, TRUNCATE included.
        await using (var left = new SqliteConnection(scene.ConnectionString))
        {
            SqliteConnection.ClearPool(left);
            await left.OpenAsync(TestContext.Current.CancellationToken);
            await using var off = left.CreateCommand();
            off.CommandText = "PRAGMA synchronous=OFF";
            await off.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        scene.Checkpointer.Start();
        await WaitUntilAsync(() => scene.Checkpointer.PassiveCheckpoints >= 1, "the first checkpoint");

        // Read through the connection the checkpoints ran on: FULL (2), the host's busy timeout, no checkpoint of its own.
        Assert.Equal((2L, 30_000L, 0L), scene.Checkpointer.ConnectionSettings());
        Assert.Equal(2, await scene.BlobCountAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), "Waited 20 s for " + what + ".");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A host on a fresh SQLite file with a table for the blobs, its group writer and its checkpointer.</summary>
    private sealed class Scene : IAsyncDisposable
    {
        private Scene(WorkflowTestHost host) => Host = host;

        public WorkflowTestHost Host { get; }

        public SqliteCheckpointer Checkpointer => Host.Services.GetRequiredService<SqliteCheckpointer>();

        public GroupCommit Group => Host.Services.GetRequiredService<GroupCommit>();

        public long PageSize { get; private set; }

        public static async Task<Scene> StartAsync(int? checkpointPages = null, int? hardLimitPages = null)
        {
            var database = new SqliteTestDatabase();
            database.Options.WalCheckpointPages = checkpointPages;
            database.Options.WalHardLimitPages = hardLimitPages;
            var scene = new Scene(await WorkflowTestHost.StartOwningAsync(database));
            await scene.PrepareAsync();
            return scene;
        }

        public static async Task<Scene> StartAsync(SqliteTestDatabase database)
        {
            var scene = new Scene(await WorkflowTestHost.StartAsync(database));
            await scene.PrepareAsync();
            return scene;
        }

        private async Task PrepareAsync()
        {
            await using var db = await Host.OpenDbAsync();
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE ballast (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
            PageSize = await db.Database.SqlQueryRaw<long>("SELECT page_size AS Value FROM pragma_page_size").SingleAsync();
            // The table's creation, committed outside the group writer, is checkpointed and the log emptied: tests start at 0.
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        /// <summary>Steps through the group writer, one after another, each inserting a blob of about fifty pages.</summary>
        public async Task CommitBlobsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var outcome = await Group.RunAsync(
                    async db =>
                    {
                        await db.Database.ExecuteSqlRawAsync("INSERT INTO ballast (body) VALUES (randomblob({0}))", BlobBytes);
                        return new StepOutcome(new CommandResult { InstanceId = Guid.Empty }, null);
                    },
                    (outcome, _) => outcome,
                    TestContext.Current.CancellationToken);
                Assert.True(outcome.Result.Succeeded);
            }
        }

        public string ConnectionString
        {
            get
            {
                using var db = Host.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContext();
                return db.Database.GetConnectionString()!;
            }
        }

        public long WalFileBytes() => new FileInfo(((SqliteTestDatabase)Host.Database).FilePath + "-wal").Length;

        public SqliteConnection OpenConnection()
        {
            var connection = new SqliteConnection($"Data Source={((SqliteTestDatabase)Host.Database).FilePath};Pooling=False");
            connection.Open();
            return connection;
        }

        public async Task<long> BlobCountAsync()
        {
            await using var connection = OpenConnection();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM ballast";
            return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
