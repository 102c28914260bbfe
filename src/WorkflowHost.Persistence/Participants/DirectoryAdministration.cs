using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Persistence.Participants;

/// <summary>
/// Every change to a community's directory (units, people, roles, committee terms), each in one transaction that also
/// raises the community's directory version (every host's cache sees it at once, decision 110) and journals the change
/// with who, when and the record before and after. Members who leave the committee are then taken off the open ballots
/// they have not voted on (<see cref="BallotDepartures"/>, decision 109); a unit's feedback letter notices follow its
/// liaisons in the change's own transaction (decision 152). The host checks roles and tenancy first
/// (decision 108); this class checks what only the database knows: existence in the community, conflicts, versions.
/// </summary>
public sealed partial class DirectoryAdministration(
    IDbContextFactory<WorkflowDbContext> contexts,
    TimeProvider time,
    StepWriteGate writeGate,
    BallotDepartures departures)
{
    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    /// <summary>Today in the community's time zone: the latest date a change may carry (changes are recorded once they happen).</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), WorkingCalendar.ChinaStandardTime).DateTime);

    /// <summary>
    /// Runs one change. The version bump comes first: on PostgreSQL it locks the community's row, so two changes of one
    /// community take turns and each reads what the other committed; on SQLite the gate and the write lock do the same.
    /// A result other than <see cref="DirectoryOutcome.Done"/> rolls everything back.
    /// A change that journals nothing (an import whose rows are all unchanged) writes nothing either, not even the version
    /// bump; with <paramref name="commit"/> false the change runs in full and is rolled back (an import's preview).
    /// </summary>
    private async Task<DirectoryResult> ChangeAsync(string communityId, Func<ChangeScope, Task<DirectoryResult>> change, CancellationToken cancellationToken, bool commit = true)
    {
        ChangeScope scope;
        DirectoryResult result;
        using (await writeGate.EnterAsync(cancellationToken))
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var bumped = await db.Communities.Where(c => c.Id == communityId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.DirectoryVersion, c => c.DirectoryVersion + 1), cancellationToken);
            if (bumped == 0)
            {
                return DirectoryResult.NotFound($"There is no community '{communityId}'.");
            }

            scope = new ChangeScope(db, communityId, time.GetUtcNow(), Today);
            try
            {
                result = await change(scope);
                if (result.Succeeded)
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                await transaction.RollbackAsync(cancellationToken);
                return DirectoryResult.Conflict("Someone else changed this record meanwhile; reload it and try again.");
            }

            if (!result.Succeeded || !commit || scope.Journaled == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return result;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // After the commit, outside the gate: each departure is a step of its own on each open ballot (decision 109).
        foreach (var departure in scope.Departures)
        {
            await departures.ApplyAsync(communityId, departure, cancellationToken);
        }

        return result;
    }

    /// <summary>What one change works with: the context, the time, its journal lines and the members it took off the committee.</summary>
    internal sealed class ChangeScope(WorkflowDbContext db, string communityId, DateTimeOffset now, DateOnly today)
    {
        public WorkflowDbContext Db => db;

        public string CommunityId => communityId;

        public DateTimeOffset Now => now;

        public DateOnly Today => today;

        public List<Departure> Departures { get; } = [];

        public int Journaled { get; private set; }

        public Guid Journal(string actorId, string kind, string subjectId, object? before, object? after)
        {
            Journaled++;
            var id = Guid.CreateVersion7(now);
            db.DirectoryChanges.Add(new DirectoryChange
            {
                Id = id, CommunityId = communityId, At = now, ActorId = actorId, Kind = kind, SubjectId = subjectId,
                BeforeJson = before is null ? null : JsonSerializer.Serialize(before, SnapshotJson),
                AfterJson = after is null ? null : JsonSerializer.Serialize(after, SnapshotJson),
            });
            return id;
        }
    }

    private static DirectoryResult NotLaterThanToday(string field, DateOnly date, DateOnly today) =>
        date > today
            ? DirectoryResult.Invalid(field, $"{date:yyyy-MM-dd} is in the future; a change is recorded once it has happened (today is {today:yyyy-MM-dd}).")
            : DirectoryResult.Ok;
}

/// <summary>A member who left the committee on <paramref name="LeftOn"/>, by the directory change <paramref name="ChangeId"/>.</summary>
public sealed record Departure(string PersonId, DateOnly LeftOn, string ActorId, string ChangeId);
