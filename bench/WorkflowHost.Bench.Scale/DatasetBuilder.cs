using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Bench.Scale;

/// <summary>
/// Fills a database the way a district-wide deployment looks after years of use: instances spread over 1,000
/// communities; 98% finished (office task closed, ballot closed, every member's vote recorded, deadline timer fired),
/// 1% waiting on the office's check (open task), 1% waiting on a ballot of the committee (open ballot, members pending,
/// deadline timer pending; a few of those timers are due). The seed community gets its share of the rows, and ten of
/// its open ballots wait on its real members, so one real member's inbox stays small while the tables grow.
/// Rows are written by <see cref="BulkWriter"/> in chunks, each chunk one transaction (or one COPY per table).
/// </summary>
internal static class DatasetBuilder
{
    public const int Communities = 1000;
    public const int OpenEveryNth = 100;
    public const int DueTimers = 50;
    public const int SeedCommunityOpen = 10;
    private const int Chunk = 20_000;
    private const string Ballot = "committee-ballot#2";
    private const string OfficeTask = "office-check#1";

    public static async Task BuildAsync(Func<WorkflowDbContext> open, int instances, string stateJson, string definitionHash, IReadOnlyList<string> members, DateTimeOffset now)
    {
        IReadOnlyList<string> indexes;
        await using (var db = open())
        {
            indexes = await new BulkWriter(db).DropSecondaryIndexesAsync(typeof(WorkflowInstance), typeof(WorkItem), typeof(BallotVoter), typeof(WorkflowTimer));
        }

        var due = 0;
        for (var start = 0; start < instances; start += Chunk)
        {
            var rows = new Rows();
            for (var i = start; i < Math.Min(instances, start + Chunk); i++)
            {
                var community = i % Communities == 7 ? "binhe" : $"c-{i % Communities:0000}";
                var stage = StageOf(i, community);
                var isDue = stage == Stage.Ballot && due < DueTimers;
                due += isDue ? 1 : 0;
                Add(rows, i, community, stage, isDue, stateJson, definitionHash, members, now);
            }

            await using var db = open();
            await new BulkWriter(db).WriteAsync(rows.Instances, rows.WorkItems, rows.Voters, rows.Timers);
            if ((start + Chunk) % 200_000 == 0 || start + Chunk >= instances)
            {
                Console.Error.WriteLine($"  {Math.Min(instances, start + Chunk):N0} / {instances:N0} instances written");
            }
        }

        await using (var db = open())
        {
            await new BulkWriter(db).CreateIndexesAsync(indexes);
            Console.Error.WriteLine($"  {indexes.Count} secondary indexes created again");
        }
    }

    private enum Stage
    {
        Finished,
        OfficeCheck,
        Ballot,
    }

    private static Stage StageOf(int i, string community) => community == "binhe"
        // The seed community keeps ten open ballots whatever the size: an inbox is small, the tables are not.
        ? i / Communities < SeedCommunityOpen ? Stage.Ballot : Stage.Finished
        : (i % OpenEveryNth) switch { 0 => Stage.Ballot, 50 => Stage.OfficeCheck, _ => Stage.Finished };

    private static void Add(Rows rows, int i, string community, Stage stage, bool isDue, string stateJson, string definitionHash, IReadOnlyList<string> members, DateTimeOffset now)
    {
        var created = now.AddMinutes(-i);
        var id = Guid.CreateVersion7(created);
        var finished = stage == Stage.Finished;
        rows.Instances.Add(new WorkflowInstance
        {
            Id = id, CommunityId = community, DefinitionId = "promotion-consultation", DefinitionHash = definitionHash,
            InitiatorId = "p-liaison-gao", UnitId = "unit-housing-bureau", Status = finished ? "completed" : "running",
            Result = finished ? "consent" : null, StateJson = stateJson, Version = finished ? 16 : 3, CreatedAt = created,
            UpdatedAt = created.AddDays(finished ? 3 : 1), EndedAt = finished ? created.AddDays(3) : null, JournalSequence = 0, JournalHead = "",
        });
        var officeOpen = stage == Stage.OfficeCheck;
        rows.WorkItems.Add(new WorkItem
        {
            InstanceId = id, BookmarkId = OfficeTask, CommunityId = community, ActivityId = "office-check", Kind = "task",
            AssigneeKind = "role", AssigneeValue = "office", Status = officeOpen ? "open" : "closed", OpenedAt = created,
            DueAt = officeOpen ? now.AddDays(5) : created.AddDays(5), ClosedAt = officeOpen ? null : created.AddHours(2),
            Outcome = officeOpen ? null : "accept", ClosedBy = officeOpen ? null : "p-office-xie", CloseReason = officeOpen ? null : "completed",
        });
        if (officeOpen)
        {
            return;
        }

        var ballotOpen = stage == Stage.Ballot;
        rows.WorkItems.Add(new WorkItem
        {
            InstanceId = id, BookmarkId = Ballot, CommunityId = community, ActivityId = "committee-ballot", Kind = "ballot",
            Status = ballotOpen ? "open" : "closed", OpenedAt = created.AddHours(2), DueAt = ballotOpen ? now.AddDays(5) : created.AddDays(3),
            ClosedAt = ballotOpen ? null : created.AddDays(2), Outcome = ballotOpen ? null : "consent", CloseReason = ballotOpen ? null : "decided",
        });
        for (var m = 0; m < members.Count; m++)
        {
            rows.Voters.Add(new BallotVoter
            {
                InstanceId = id, BookmarkId = Ballot, CommunityId = community,
                PersonId = community == "binhe" ? members[m] : $"{community}-{members[m]}",
                Status = ballotOpen ? VoterStatus.Pending : VoterStatus.Voted,
                RespondedAt = ballotOpen ? null : created.AddDays(1).AddMinutes(m), Choice = ballotOpen ? null : m % 3 == 2 ? "object" : "consent",
            });
        }

        rows.Timers.Add(new WorkflowTimer
        {
            InstanceId = id, TimerId = $"{Ballot}:deadline", CommunityId = community, BookmarkId = Ballot, Purpose = "deadline",
            DueAt = isDue ? now.AddMinutes(-1) : ballotOpen ? now.AddDays(5) : created.AddDays(3),
            Status = ballotOpen ? TimerStatus.Pending : TimerStatus.Void, FiredAt = ballotOpen ? null : created.AddDays(3),
        });
    }

    private sealed class Rows
    {
        public List<object> Instances { get; } = [];

        public List<object> WorkItems { get; } = [];

        public List<object> Voters { get; } = [];

        public List<object> Timers { get; } = [];
    }
}
