using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using WorkflowHost.Engine.Runtime;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The host keeps the state each committed step wrote (decision 170): the next step on the instance reuses it only when
/// the row holds that version and exactly those bytes, takes it so that no other step holds it, and nothing is kept of
/// a step that did not commit.
/// </summary>
public abstract class KeptStateScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task The_step_after_a_commit_reuses_the_state_the_commit_wrote()
    {
        await using var scene = await OpenBallotAsync();

        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, scene.Voters[0], "consent")).Succeeded);

        Assert.Equal(["reused"], scene.Reads.Results);
        Assert.Equal(3, scene.Kept.VersionKept(scene.Id));
    }

    [Fact]
    public async Task An_instance_that_ended_keeps_nothing_in_the_host()
    {
        await using var scene = await OpenBallotAsync();

        var withdrawn = await scene.Host.Commands.ResumeAsync(new ResumeCommand(scene.Id, Consultation.Community, new Withdraw(Consultation.Liaison, "人选另有安排")));

        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        Assert.Equal(InstanceStatus.Withdrawn, withdrawn.Status);
        Assert.Null(scene.Kept.VersionKept(scene.Id));
    }

    [Fact]
    public async Task A_row_another_host_wrote_is_parsed_and_the_step_sees_that_write()
    {
        await using var scene = await OpenBallotAsync();
        await using var second = await WorkflowTestHost.StartAsync(scene.Host.Database);

        // The second host votes: the first still keeps the version before it.
        Assert.True((await new Consultation(second).VoteAsync(scene.Id, scene.Ballot, scene.Voters[0], "consent")).Succeeded);
        Assert.Equal(2, scene.Kept.VersionKept(scene.Id));

        // The same voter again through the first host: refused, because it read the second host's write, not its own state.
        var again = await scene.Flow.VoteAsync(scene.Id, scene.Ballot, scene.Voters[0], "object");
        Assert.False(again.Succeeded);
        Assert.Equal(["version"], scene.Reads.Results);
        Assert.Null(scene.Kept.VersionKept(scene.Id));
    }

    [Fact]
    public async Task A_row_changed_in_place_at_the_same_version_is_parsed_not_taken_from_the_host()
    {
        await using var scene = await OpenBallotAsync();
        var voter = scene.Voters[0];

        // An operator's direct change, the version left as it was: the voter is already among those who voted.
        await using (var db = await scene.Host.OpenDbAsync())
        {
            var row = await db.Instances.SingleAsync(i => i.Id == scene.Id);
            var state = JsonSerializer.Deserialize(row.StateJson, EngineJson.State)!;
            var participants = state.FindBookmark(scene.Ballot)!.Ballot!.Participants;
            participants.Add(voter);
            participants.Sort(StringComparer.Ordinal);
            var changed = JsonSerializer.Serialize(state, EngineJson.State);
            await db.Instances.Where(i => i.Id == scene.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, changed));
            Assert.Equal(2, await db.Instances.Where(i => i.Id == scene.Id).Select(i => i.Version).SingleAsync());
        }

        Assert.Equal(2, scene.Kept.VersionKept(scene.Id));

        var vote = await scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, "consent");

        Assert.False(vote.Succeeded, "the vote ran on the host's own copy, not on the row");
        Assert.Equal(["bytes"], scene.Reads.Results);
    }

    [Fact]
    public async Task A_refused_step_keeps_nothing_and_the_next_step_parses()
    {
        await using var scene = await OpenBallotAsync();

        // The engine refuses (a choice the ballot does not offer): the state it took may be half changed; none is kept.
        Assert.False((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, scene.Voters[0], "no-such-option")).Succeeded);
        Assert.Null(scene.Kept.VersionKept(scene.Id));
        scene.Reads.Clear();
        Assert.True((await scene.Flow.VoteAsync(scene.Id, scene.Ballot, scene.Voters[0], "consent")).Succeeded);
        Assert.Equal(["absent"], scene.Reads.Results);
        Assert.Equal(3, scene.Kept.VersionKept(scene.Id));
    }

    [Fact]
    public async Task A_step_whose_write_is_rolled_back_keeps_nothing()
    {
        await using var scene = await OpenBallotAsync();
        var voter = scene.Voters[0];

        // The voter's row says "voted" though the state does not: every attempt's write finds no pending voter and is
        // rolled back as a lost race, until the retries run out.
        await using (var db = await scene.Host.OpenDbAsync())
        {
            await db.BallotVoters.Where(v => v.InstanceId == scene.Id && v.BookmarkId == scene.Ballot && v.PersonId == voter)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VoterStatus.Voted));
        }

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => scene.Flow.VoteAsync(scene.Id, scene.Ballot, voter, "consent"));

        Assert.Null(scene.Kept.VersionKept(scene.Id));
    }

    [Fact]
    public async Task Two_steps_reading_the_same_kept_version_never_share_its_state()
    {
        await using var scene = await OpenBallotAsync();

        // Two real votes at once on the kept version: both counted, each from a state of its own.
        var votes = await Task.WhenAll(scene.Voters.Take(2).Select(v => scene.Flow.VoteAsync(scene.Id, scene.Ballot, v, "consent")));
        Assert.All(votes, v => Assert.True(v.Succeeded, v.Message));
        var snapshot = await scene.Host.Queries.GetAsync(scene.Id);
        Assert.Equal(2, snapshot!.State.FindBookmark(scene.Ballot)!.Ballot!.Participants.Count);

        // The same race, many times, on the kept states alone: exactly one of two readers gets the kept object.
        await using var db = await scene.Host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == scene.Id);
        var bytes = System.Text.Encoding.UTF8.GetBytes(row.StateJson);
        for (var round = 0; round < 50; round++)
        {
            var original = JsonSerializer.Deserialize(bytes, EngineJson.State)!;
            scene.Kept.Keep(new WrittenStep(scene.Id, 100 + round, bytes, original));
            using var start = new Barrier(2);
            var states = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return scene.Kept.StateOf(scene.Id, 100 + round, bytes);
            })));

            Assert.Single(states, s => ReferenceEquals(s, original));
            Assert.False(ReferenceEquals(states[0], states[1]));
        }
    }

    /// <summary>
    /// Decisions 182 and 186: the step's read is handed the bytes the host kept and answers the row's bytes only when they
    /// differ. Whatever was handed over (nothing, a copy of the row's bytes, bytes one bit off, a prefix, one byte more),
    /// the step must see exactly the row's bytes, and only an exact copy may come back as "the same", on either database.
    /// </summary>
    [Fact]
    public async Task The_step_read_answers_the_rows_state_bytes_whatever_bytes_the_host_kept()
    {
        await using var scene = await OpenBallotAsync();
        await using var db = await scene.Host.OpenDbAsync();
        var community = (await db.Instances.AsNoTracking().SingleAsync(i => i.Id == scene.Id)).CommunityId;
        var random = new Random(182);
        string[] pieces = ["{", "}", "\"", ":", ",", "a", "投票", "同意", "😀", " ", "\\", "0", "é", "\n"];
        for (var round = 0; round < 120; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 300)).Select(_ => pieces[random.Next(pieces.Length)]));
            await db.Instances.Where(i => i.Id == scene.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.StateJson, text), TestContext.Current.CancellationToken);
            var stored = System.Text.Encoding.UTF8.GetBytes(text);
            var offByOne = stored.ToArray();
            offByOne[random.Next(offByOne.Length)] ^= (byte)(1 << random.Next(8));
            byte[]?[] kepts = [null, stored.ToArray(), offByOne, stored[..^1], [.. stored, (byte)'}']];
            foreach (var kept in kepts)
            {
                var read = await StepReads.InCommunityAsync(db, scene.Id, community, null, kept, TestContext.Current.CancellationToken);

                Assert.NotNull(read);
                Assert.Equal(stored, read.StateUtf8(kept));
                var same = kept is not null && kept.AsSpan().SequenceEqual(stored);
                Assert.Equal(same, read.ChangedStateUtf8 is null);
            }
        }
    }

    /// <summary>
    /// The point of decisions 182 and 186: a read whose row holds the kept bytes does not read them into a new array. The
    /// same read, handed nothing, allocates about the state's length more (the array it answers), the rest of the two reads
    /// being the same. Counted over the whole process (PostgreSQL's reads complete on other threads), so the subclasses
    /// run it alone.
    /// </summary>
    [Fact]
    public async Task A_read_of_the_kept_bytes_allocates_no_array_for_them()
    {
        await using var scene = await OpenBallotAsync();
        await using var db = await scene.Host.OpenDbAsync();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == scene.Id, TestContext.Current.CancellationToken);
        var kept = System.Text.Encoding.UTF8.GetBytes(row.StateJson);

        // Interleaved, so that whatever else the process does in the meantime weighs on both alike.
        long withNothing = 0, withKept = 0;
        for (var round = 0; round < 4; round++)
        {
            withNothing += await BytesPerReadAsync(db, row.Id, row.CommunityId, null);
            withKept += await BytesPerReadAsync(db, row.Id, row.CommunityId, kept);
        }

        withNothing /= 4;
        withKept /= 4;
        // Binding the kept bytes costs the read a little (about 160 B measured on SQLite against a 3.1 KB state), hence half.
        Assert.True(withNothing - withKept >= kept.Length / 2, $"handed nothing: {withNothing} B a read; handed the kept {kept.Length} B: {withKept} B a read");
    }

    private static async Task<long> BytesPerReadAsync(WorkflowDbContext db, Guid id, string community, byte[]? kept)
    {
        const int Runs = 50;
        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(await StepReads.InCommunityAsync(db, id, community, null, kept, TestContext.Current.CancellationToken));
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Runs; i++)
        {
            _ = await StepReads.InCommunityAsync(db, id, community, null, kept, TestContext.Current.CancellationToken);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / Runs;
    }

    /// <summary>
    /// A consultation submitted and accepted on a new host, its ballot open: the set-up of every scenario above, each
    /// step's state kept as it committed. The reads are counted from here on.
    /// </summary>
    protected async Task<OpenBallot> OpenBallotAsync()
    {
        var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        try
        {
            var kept = host.Services.GetRequiredService<KeptStates>();
            var flow = new Consultation(host);
            var id = await flow.SubmitAsync();
            Assert.Equal(1, kept.VersionKept(id));
            var ballot = await flow.AcceptAsync(id);
            Assert.Equal(2, kept.VersionKept(id));
            var voters = await flow.EligibleAsync();
            return new OpenBallot(host, kept, new KeptStateReads(host), flow, id, ballot, voters);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    protected sealed record OpenBallot(WorkflowTestHost Host, KeptStates Kept, KeptStateReads Reads, Consultation Flow, Guid Id, string Ballot, IReadOnlyList<string> Voters)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Reads.Dispose();
            await Host.DisposeAsync();
        }
    }
}

/// <summary>
/// The kept-state scenarios count allocations over the whole process (<see cref="KeptStateScenarios.A_read_of_the_kept_bytes_allocates_no_array_for_them"/>),
/// so their classes run when no other test does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KeptStatesAlone
{
    public const string Name = "Kept states, alone";
}

[Collection(KeptStatesAlone.Name)]
public sealed class SqliteKeptStateTests : KeptStateScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

[Collection(KeptStatesAlone.Name)]
public sealed class PostgreSqlKeptStateTests : KeptStateScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();

    /// <summary>
    /// Decision 186: PostgreSQL compares the row's state with the kept bytes in the step's one statement, the kept bytes
    /// sent as <c>bytea</c> (a parameter the server had to type itself could be compared as something else, or refused),
    /// and a step with nothing kept still reads the bytes in one statement.
    /// </summary>
    [Fact]
    public async Task The_step_read_sends_the_kept_bytes_as_bytea_and_compares_them_in_its_one_statement()
    {
        var captured = new ReadCapture();
        await using var host = await WorkflowTestHost.StartOwningAsync(await PostgreSqlTestDatabase.CreateAsync(), configure:
            services => services.AddDbContextFactory<WorkflowDbContext>((_, options) => options.AddInterceptors(captured)));
        var id = await new Consultation(host).SubmitAsync();
        await using var db = await host.OpenDbAsync();
        var row = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, TestContext.Current.CancellationToken);
        var kept = System.Text.Encoding.UTF8.GetBytes(row.StateJson);

        foreach (var handed in (byte[]?[])[null, kept])
        {
            captured.Commands.Clear();
            var read = await StepReads.InCommunityAsync(db, id, row.CommunityId, null, handed, TestContext.Current.CancellationToken);

            Assert.NotNull(read);
            Assert.Equal(handed is null ? kept : null, read.ChangedStateUtf8);
            var (sql, parameters) = Assert.Single(captured.Commands);
            // The read goes positional (decision 188): $n is the command's n-th parameter.
            var compared = Regex.Match(sql, @"nullif\(convert_to\(i\.""StateJson"", 'UTF8'\), (NULL|\$\d+)\)");
            Assert.True(compared.Success, sql);
            if (handed is null)
            {
                // EF Core's variant for a null parameter writes NULL in its place, and nullif(x, NULL) is x.
                Assert.Equal("NULL", compared.Groups[1].Value);
                Assert.DoesNotContain(parameters, p => p.Value is byte[]);
            }
            else
            {
                var parameter = parameters[int.Parse(compared.Groups[1].Value[1..], System.Globalization.CultureInfo.InvariantCulture) - 1];
                Assert.Equal(NpgsqlDbType.Bytea, parameter.NpgsqlDbType);
                Assert.Same(handed, parameter.Value);
            }
        }
    }

    /// <summary>The reader commands a host's contexts send, with their parameters.</summary>
    private sealed class ReadCapture : DbCommandInterceptor
    {
        public ConcurrentQueue<(string Sql, NpgsqlParameter[] Parameters)> Commands { get; } = new();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Enqueue((command.CommandText, [.. command.Parameters.Cast<NpgsqlParameter>()]));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
