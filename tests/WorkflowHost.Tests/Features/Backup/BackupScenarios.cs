using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkflowHost.Features.Backup;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Journal;
using WorkflowHost.Tests.Support;

namespace WorkflowHost.Tests.Features.Backup;

/// <summary>
/// A backup taken from a running host, with members voting while it is taken, restored into a new host (a new data
/// folder, a new database): every journal verifies, the finished consultation's reply still verifies, and an
/// in-flight consultation carries on to its end there, its reply taking the next number.
/// </summary>
public abstract partial class BackupScenarios
{
    private const string Ballot = "committee-ballot#2";

    /// <summary>Seven consents decide a ballot of the 13 eligible (the submitting unit's member is recused).</summary>
    private static readonly string[] Voters = [People.Member, People.Secretary, "p-member-zhao", "p-member-sun", "p-member-zhou", "p-member-wu", "p-member-chen"];

    protected abstract Task<HostFactory> CreateSourceAsync(IReadOnlyDictionary<string, string?>? settings = null);

    /// <summary>A new host on a new database holding the backup written to <paramref name="files"/>, with <paramref name="settings"/>.</summary>
    protected abstract Task<HostFactory> RestoreAsync(IReadOnlyList<string> files, IReadOnlyDictionary<string, string?>? settings = null);

    /// <summary>Not the key the source host ran with (the repository's development key).</summary>
    private const string AnotherSealingKey = "YW5vdGhlci1zZWFsaW5nLWtleS10aGF0LWlzLW5vdC10aGUtb25lIQ==";

    [Fact]
    public async Task A_backup_of_a_running_host_restores_into_a_new_host_that_verifies_and_carries_on()
    {
        var cancel = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("workflowhost-backup-").FullName;
        try
        {
            BackupReport backup;
            Guid finished, inFlight, busy;
            string firstNumber;
            await using (var source = await CreateSourceAsync())
            {
                var api = new ApiDriver(source);
                finished = await api.AtBallotAsync();
                foreach (var voter in Voters)
                {
                    await VoteAsync(api, finished, voter);
                }

                firstNumber = ReplyNumber(await api.InstanceAsync(finished));
                inFlight = await api.AtBallotAsync();
                foreach (var voter in Voters.Take(3))
                {
                    await VoteAsync(api, inFlight, voter);
                }

                // Online: votes keep arriving on another consultation while the copy is taken.
                busy = await api.AtBallotAsync();
                using var stop = new CancellationTokenSource();
                var load = Task.Run(async () =>
                {
                    foreach (var voter in Voters.Take(6).TakeWhile(_ => !stop.IsCancellationRequested))
                    {
                        await VoteAsync(api, busy, voter);
                    }
                }, cancel);
                var contentRoot = source.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath;
                backup = await BackupCommand.WriteAsync(source.Services, contentRoot, folder, cancel);
                await stop.CancelAsync();
                await load;
            }

            Assert.True(backup.JournalsIntact, backup.Summary);

            // The key is not in the backup, only its check, which names the key a restore needs (decision 90).
            var keyCheckFile = Assert.Single(backup.Files, f => Path.GetFileName(f) == BackupCommand.KeyCheckFile);
            var data = backup.Files.Where(f => f != keyCheckFile).ToList();
            Assert.Contains(backup.KeyCheck!, await File.ReadAllTextAsync(keyCheckFile, cancel), StringComparison.Ordinal);
            Assert.Contains(backup.KeyCheck!, backup.Summary, StringComparison.Ordinal);
            foreach (var file in data)
            {
                var bytes = await File.ReadAllBytesAsync(file, cancel);
                Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes("ZGV2ZWxvcG1lbnQtb25seS1zZWFsaW5nLWtleS1iaW5oZS0yMDI2")) >= 0, $"{file} holds the sealing key");
            }

            // Restored without its key: refused at start, with a message that says which key to bring.
            await using (var withoutKey = await RestoreAsync(data, new Dictionary<string, string?> { ["Sealing:Key"] = AnotherSealingKey }))
            {
                var refused = Assert.ThrowsAny<Exception>(() => withoutKey.CreateClient());
                var messages = string.Join(" | ", Causes(refused).Select(e => e.Message));
                Assert.True(Causes(refused).Any(e => e is WorkflowHost.Persistence.Sealing.StoreKeyMismatchException), messages);
                Assert.Contains("Sealing:Key", messages, StringComparison.Ordinal);
                Assert.Contains(backup.KeyCheck![..8], messages, StringComparison.Ordinal);
            }

            await using var restored = await RestoreAsync(data);
            var restoredApi = new ApiDriver(restored);

            var audit = await JournalAudit.VerifyAllAsync(restored.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>(),
                restored.Services.GetRequiredService<WorkflowHost.Persistence.Sealing.StoreKeys>(), cancel);
            Assert.True(audit.AllIntact, string.Join("; ", audit.Broken.Select(b => $"{b.InstanceId}: {b.Verification.Problem}")));
            // Besides the seeds' own (last year's in-service review runs through its process when the seeds load).
            await using (var db = await restored.Services.GetRequiredService<IDbContextFactory<WorkflowDbContext>>().CreateDbContextAsync(cancel))
            {
                var seeded = await db.Instances.CountAsync(i => i.DefinitionId == "in-service-annual-feedback", cancel);
                Assert.Equal(3 + seeded, audit.Instances);
            }

            // The finished consultation is there as it ended, and its reply still verifies.
            var done = await restoredApi.InstanceAsync(finished, People.Liaison);
            Assert.Equal("completed", done["status"]!.GetValue<string>());
            var document = done["documents"]!.AsArray().Single()!;
            var verified = await restoredApi.GetAsync(null, document["verify"]!.GetValue<string>());
            Assert.True(verified.Status == HttpStatusCode.OK, verified.ToString());

            // The one in flight: the backup's votes stand (a second vote is refused), the rest decide it here.
            Assert.Equal(HttpStatusCode.Conflict, (await restoredApi.PostAsync(Voters[0], ApiDriver.Step(inFlight, Ballot, "vote"), new { choice = "consent" })).Status);
            foreach (var voter in Voters.Skip(3))
            {
                await VoteAsync(restoredApi, inFlight, voter);
            }

            var ended = await restoredApi.InstanceAsync(inFlight, People.Liaison);
            Assert.Equal("completed", ended["status"]!.GetValue<string>());
            Assert.Equal("consent", ended["result"]!.GetValue<string>());
            Assert.Equal(NextNumber(firstNumber), ReplyNumber(ended));
            Assert.True((await restoredApi.GetAsync(People.Liaison, $"/api/instances/{inFlight}/timeline/verification")).Body["intact"]!.GetValue<bool>());

            // The consultation that was being voted on while the copy was taken holds a whole number of votes.
            var busyBallot = (await restoredApi.InstanceAsync(busy))["currentSteps"]![0]!["ballot"]!;
            Assert.Equal(busyBallot["voted"]!.GetValue<int>(), busyBallot["totals"]!["consent"]!.GetValue<int>());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
            if (cause is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                {
                    yield return inner;
                }
            }
        }
    }

    private static async Task VoteAsync(ApiDriver api, Guid instance, string voter)
    {
        var reply = await api.PostAsync(voter, ApiDriver.Step(instance, Ballot, "vote"), new { choice = "consent" });
        Assert.True(reply.Status == HttpStatusCode.OK, $"{voter}: {reply}");
    }

    private static string ReplyNumber(JsonNode instance) => instance["documents"]!.AsArray().Single()!["number"]!.GetValue<string>();

    /// <summary>"2026-0007" → "2026-0008": numbers go on without a gap after a restore.</summary>
    private static string NextNumber(string number)
    {
        var cut = number.LastIndexOf('-');
        var digits = number[(cut + 1)..];
        return number[..(cut + 1)] + (int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(new string('0', digits.Length), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>SQLite: the online copy of both files, put into a new host's empty data folder before it starts.</summary>
public sealed class SqliteBackupTests : BackupScenarios
{
    protected override Task<HostFactory> CreateSourceAsync(IReadOnlyDictionary<string, string?>? settings = null) => Task.FromResult(new HostFactory(settings));

    protected override Task<HostFactory> RestoreAsync(IReadOnlyList<string> files, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Assert.Equal(["workflowhost.db", "hangfire.db"], files.Select(Path.GetFileName));
        var restored = new HostFactory(settings);
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(restored.DataFolder, Path.GetFileName(file)));
        }

        return Task.FromResult(restored);
    }
}

/// <summary>PostgreSQL: pg_dump (custom format) by the backup command, pg_restore into a new empty database.</summary>
public sealed class PostgreSqlBackupTests : BackupScenarios, IAsyncDisposable
{
    private readonly List<PostgreSqlTestDatabase> _databases = [];

    protected override async Task<HostFactory> CreateSourceAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (PostgreSqlTools.Find("pg_dump") is null || PostgreSqlTools.Find("pg_restore") is null)
        {
            const string reason = "pg_dump and pg_restore are not installed (PATH, /usr/lib/postgresql/*/bin); install postgresql-client-15.";
            if (Environment.GetEnvironmentVariable("WORKFLOWHOST_REQUIRE_POSTGRES") == "1")
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        var database = await PostgreSqlTestDatabase.CreateAsync();
        _databases.Add(database);
        return new HostFactory(settings, postgreSql: database);
    }

    protected override async Task<HostFactory> RestoreAsync(IReadOnlyList<string> files, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dump = Assert.Single(files);
        var database = await PostgreSqlTestDatabase.CreateAsync();
        _databases.Add(database);
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        // The command docs/operations.md gives, with this database's coordinates.
        var restore = new ProcessStartInfo(PostgreSqlTools.Find("pg_restore")!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["--no-owner", "--no-privileges", "--exit-on-error", $"--host={target.Host}", $"--port={target.Port}",
                     $"--username={target.Username}", $"--dbname={target.Database}", dump])
        {
            restore.ArgumentList.Add(argument);
        }

        restore.Environment["PGPASSWORD"] = target.Password;
        using var process = Process.Start(restore)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_restore failed: {await errors}");
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
