using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Sealing;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Sealing;

/// <summary>
/// Someone who reads the database between two votes of a secret ballot (decision 91, extending the swapped worlds of
/// decision 55 to the stored rows): the same secret ballot runs in two worlds, each on a database of its own with the
/// same fake clock, identical except that two members swap their choices. After every vote every row of every table
/// is read, in the order the database keeps it; once generated ids and hashes are numbered or set aside and sealed
/// values are reduced to their length, each snapshot, and each difference between two consecutive snapshots, must be
/// the same in both worlds. The sealed choices do hold the votes (the sensitivity check opens them with the key).
/// </summary>
public abstract partial class SecretBallotDatabaseReaderScenarios
{
    private const string Process = "test-every-vote-counts";

    private static readonly string[] EmptyOnASecretVote = ["Choice", "Reason", "RespondedAt"];

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>Every table's rows, in storage order, each as "column=value | …".</summary>
    protected abstract Task<List<(string Table, string Row)>> DumpAsync(TestDatabase database);

    [Fact]
    public async Task No_snapshot_between_votes_and_no_difference_between_two_reveals_a_choice()
    {
        var one = await RunAsync(firstSwapped: "consent", secondSwapped: "object");
        var other = await RunAsync(firstSwapped: "object", secondSwapped: "consent");
        Assert.Equal(one.Snapshots.Select(s => s.Name), other.Snapshots.Select(s => s.Name));

        var (normaliseOne, normaliseOther) = (new Normaliser(), new Normaliser());
        List<string>? previousOne = null, previousOther = null;
        foreach (var (a, b) in one.Snapshots.Zip(other.Snapshots))
        {
            var rowsA = a.Rows.Select(r => $"{r.Table}: {normaliseOne.Apply(r.Row)}").ToList();
            var rowsB = b.Rows.Select(r => $"{r.Table}: {normaliseOther.Apply(r.Row)}").ToList();
            Assert.True(rowsA.SequenceEqual(rowsB), $"@{a.Name}: the stored rows differ with the choices swapped:\n{FirstDifference(rowsA, rowsB)}");
            if (previousOne is not null)
            {
                Assert.Equal(Diff(previousOne, rowsA), Diff(previousOther!, rowsB));
            }

            (previousOne, previousOther) = (rowsA, rowsB);
        }

        // What the reader sees between votes: voter rows that say "voted" and nothing more, sealed rows of one length,
        // no totals in the instance state, and after the close the totals and no sealed row.
        var afterSecond = one.Snapshots.Single(s => s.Name == "after-second-swapped").Rows;
        Assert.All(afterSecond.Where(r => r.Table == "SealedChoices"), r => Assert.Contains($"Sealed=blob({BallotSeal.SealedLength})", Normaliser.Blobs(r.Row), StringComparison.Ordinal));
        Assert.Equal(4, afterSecond.Count(r => r.Table == "SealedChoices"));
        Assert.DoesNotContain(afterSecond, r => r.Table == "Instances" && Regex.IsMatch(r.Row, "\"(consent|object|abstain)\":[1-9]"));
        Assert.All(afterSecond.Where(r => r.Table == "BallotVoters" && r.Row.Contains("Status=voted", StringComparison.Ordinal)),
            r =>
            {
                foreach (var column in EmptyOnASecretVote)
                {
                    Assert.Matches($"(^| ){column}=( \\||$)", r.Row);
                }
            });
        var closed = one.Snapshots[^1].Rows;
        Assert.DoesNotContain(closed, r => r.Table == "SealedChoices");
        Assert.Contains(closed, r => r.Table == "Instances" && r.Row.Contains("\"consent\":", StringComparison.Ordinal) && r.Row.Contains("\"outcome\":\"passed\"", StringComparison.Ordinal));

        // Sensitivity: the choices are in the rows, sealed; with the key (which no database reader has) the worlds differ.
        Assert.NotEqual(one.UnsealedAfterFirstSwapped, other.UnsealedAfterFirstSwapped);
        Assert.Equal(["consent", "consent"], one.UnsealedAfterFirstSwapped);
        Assert.Equal(["consent", "object"], other.UnsealedAfterFirstSwapped);
    }

    private sealed record World(List<(string Name, List<(string Table, string Row)> Rows)> Snapshots, List<string> UnsealedAfterFirstSwapped);

    private async Task<World> RunAsync(string firstSwapped, string secondSwapped)
    {
        var database = await CreateDatabaseAsync();
        await using var _ = database;
        await using var host = await WorkflowTestHost.StartAsync(database);
        var flow = new Consultation(host);
        var eligible = await flow.EligibleAsync();
        // Rows from before the instance (seeds, inserted in the order of their random ids) are read but not compared.
        var baseline = (await DumpAsync(database)).ToHashSet();
        async Task<List<(string, string)>> ReadAsync()
        {
            var all = await DumpAsync(database);
            var counts = all.GroupBy(r => r.Table).Select(g => ($"{g.Key} (count)", $"rows={g.Count()}"));
            return [.. counts.Concat(all.Where(r => !baseline.Contains(r)))];
        }

        var started = await host.Commands.StartAsync(new StartCommand(Process, Consultation.Community, Consultation.Liaison, new JsonObject { ["title"] = "reader" }));
        Assert.True(started.Succeeded, started.Message);
        var id = started.InstanceId;
        var ballot = await flow.OpenBookmarkAsync(id, "vote");
        var snapshots = new List<(string, List<(string, string)>)> { ("opened", await ReadAsync()) };

        // Voters in an order that is neither alphabetical nor by choice; each vote at a time of its own.
        var order = eligible.Reverse().ToList();
        var choices = order.Select((member, i) => i switch { 1 => firstSwapped, 3 => secondSwapped, 5 => "abstain", _ => "consent" }).ToList();
        var unsealed = new List<string>();
        for (var i = 0; i < order.Count; i++)
        {
            host.Time.Advance(TimeSpan.FromMinutes(i + 1) + TimeSpan.FromSeconds(7 * i));
            var vote = await flow.VoteAsync(id, ballot, order[i], choices[i]);
            Assert.True(vote.Succeeded, vote.Message);
            var name = i switch { 1 => "after-first-swapped", 3 => "after-second-swapped", _ when i == order.Count - 1 => "closed", _ => $"after-vote-{i + 1}" };
            snapshots.Add((name, await ReadAsync()));
            if (i == 1)
            {
                await using var db = await host.OpenDbAsync();
                var keys = StoreKeys.FromBase64(WorkflowTestHost.SealingKey);
                unsealed = [.. (await db.SealedChoices.AsNoTracking().Where(c => c.InstanceId == id).ToListAsync())
                    .Select(c => BallotSeal.Unseal(keys, id, c.BookmarkId, c.Sealed)).Order(StringComparer.Ordinal)];
            }
        }

        var result = await host.Queries.GetAsync(id);
        Assert.Equal("passed", result!.State.Variables["vote"]!["outcome"]!.GetValue<string>());
        Assert.Equal(order.Count - 2, result.State.Variables["vote"]!["totals"]!["consent"]!.GetValue<int>());
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);
        return new World(snapshots, unsealed);
    }

    private static List<string> Diff(List<string> before, List<string> after) =>
        [.. after.Except(before).Select(r => "+ " + r).Concat(before.Except(after).Select(r => "- " + r))];

    private static string FirstDifference(List<string> a, List<string> b)
    {
        var i = 0;
        while (i < Math.Min(a.Count, b.Count) && a[i] == b[i])
        {
            i++;
        }

        return $"row {i}:\n  one world:   {(i < a.Count ? a[i] : "(none)")}\n  other world: {(i < b.Count ? b[i] : "(none)")}";
    }

    /// <summary>Reads every table with plain SQL, the way someone with a copy of the database would.</summary>
    protected static async Task<List<(string Table, string Row)>> DumpAsync(DbConnection connection, string listTables, Func<string, string> selectAll)
    {
        var rows = new List<(string, string)>();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = listTables;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        // Sign-in accounts and the Data Protection keys are random per database and hold nothing about a ballot.
        foreach (var table in tables.Where(t => t is not ("DataProtectionKeys" or "__EFMigrationsHistory") && !t.StartsWith("AspNet", StringComparison.Ordinal) && !t.StartsWith("Account", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = selectAll(table);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var cells = Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={Cell(reader.GetValue(i))}");
                rows.Add((table, string.Join(" | ", cells)));
            }
        }

        return rows;
    }

    private static string Cell(object value) => value switch
    {
        byte[] bytes => $"blob:{Convert.ToHexStringLower(bytes)}",
        DBNull => "",
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// Ids generated per database (numbered in order of appearance, so the same id keeps its number), hashes (they cover
    /// the instance id, which differs), and sealed values (random nonces: only their length is compared).
    /// </summary>
    private sealed partial class Normaliser
    {
        private readonly Dictionary<string, string> _ids = new(StringComparer.OrdinalIgnoreCase);

        public static string Blobs(string text) => BlobPattern().Replace(text, m => $"blob({m.Groups[1].Value.Length / 2})");

        public string Apply(string text)
        {
            text = Blobs(text);
            text = Guids().Replace(text, m => _ids.TryGetValue(m.Value, out var n) ? n : _ids[m.Value] = $"ID{_ids.Count + 1}");
            return Hex().Replace(text, "HEX");
        }

        [GeneratedRegex("blob:([0-9a-f]*)")]
        private static partial Regex BlobPattern();

        [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
        private static partial Regex Guids();

        [GeneratedRegex("[0-9a-fA-F]{32,}")]
        private static partial Regex Hex();
    }
}

public sealed class SqliteSecretBallotDatabaseReaderTests : SecretBallotDatabaseReaderScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());

    protected override async Task<List<(string Table, string Row)>> DumpAsync(TestDatabase database)
    {
        await using var connection = new SqliteConnection($"Data Source={((SqliteTestDatabase)database).FilePath};Mode=ReadOnly;Pooling=False");
        return await DumpAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", t => $"SELECT * FROM \"{t}\" ORDER BY rowid");
    }
}

public sealed class PostgreSqlSecretBallotDatabaseReaderTests : SecretBallotDatabaseReaderScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();

    protected override async Task<List<(string Table, string Row)>> DumpAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(((PostgreSqlTestDatabase)database).ConnectionString);
        // ctid: the order the rows lie in the table's pages, which is what a reader of the files would see.
        return await DumpAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            t => $"SELECT * FROM \"{t}\" ORDER BY ctid");
    }
}
