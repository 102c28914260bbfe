using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Tests.Support;

namespace WorkflowHost.Persistence.Tests.Instances;

/// <summary>
/// The vote's two updates are written from the model rather than by LINQ (<c>StepWrites</c>): what they store must read
/// back through EF Core exactly as EF Core would have written it (times, ids, nulls), and a stale version or a voter who
/// already voted must change nothing. Run once per provider.
/// </summary>
public abstract class StepWritesScenarios
{
    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task A_vote_reads_back_as_written_and_a_stale_write_changes_nothing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var host = await WorkflowTestHost.StartOwningAsync(await CreateDatabaseAsync());
        var flow = new Consultation(host);
        var id = await flow.SubmitAsync();
        var ballot = await flow.AcceptAsync(id);
        var voter = (await flow.EligibleAsync())[0];
        host.Time.Advance(TimeSpan.FromMinutes(7));
        var votedAt = WorkflowCommands.StepTime(host.Time);

        int versionBefore;
        await using (var db = await host.OpenDbAsync())
        {
            versionBefore = (await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation)).Version;
        }

        Assert.True((await flow.VoteAsync(id, ballot, voter, "consent")).Succeeded);

        await using var read = await host.OpenDbAsync();
        var row = await read.BallotVoters.AsNoTracking().SingleAsync(v => v.InstanceId == id && v.BookmarkId == ballot && v.PersonId == voter, cancellation);
        Assert.Equal(VoterStatus.Voted, row.Status);
        Assert.Equal("consent", row.Choice);
        Assert.Equal(votedAt, row.RespondedAt);
        Assert.Null(row.Reason);
        var instance = await read.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal(versionBefore + 1, instance.Version);
        Assert.Equal(votedAt, instance.UpdatedAt);
        Assert.Null(instance.EndedAt);
        Assert.Contains(voter, instance.StateJson, StringComparison.Ordinal);
        Assert.True((await host.Queries.VerifyJournalAsync(id)).Intact);

        // Guarded: the voter already voted, and the version has moved on; both statements change no row.
        await using var write = await host.OpenDbAsync();
        Assert.Equal(0, await StepWrites.RecordVoteAsync(write, id, ballot, voter, votedAt, "object", null, null, cancellation));
        Assert.Equal(0, await StepWrites.SaveStateAsync(write, id, versionBefore, "{}", "running", null, 0, "", votedAt, null, cancellation));
        var unchanged = await write.Instances.AsNoTracking().SingleAsync(i => i.Id == id, cancellation);
        Assert.Equal(instance.StateJson, unchanged.StateJson);
        Assert.Equal("consent", (await write.BallotVoters.AsNoTracking().SingleAsync(v => v.InstanceId == id && v.PersonId == voter, cancellation)).Choice);
    }
}

public sealed class SqliteStepWritesTests : StepWritesScenarios
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgreSqlStepWritesTests : StepWritesScenarios
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgreSqlTestDatabase.CreateAsync();
}
