using Microsoft.EntityFrameworkCore;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Processing;

namespace WorkflowHost.Bench.Scale;

/// <summary>
/// Fills a database the way a district-wide deployment looks: instances spread over 1,000 communities, 99% finished,
/// 1% waiting on a ballot of 14 members; every instance has a timer row (finished ones fired, open ones pending, a few due).
/// The seed community gets its share of the rows, of which ten wait on its members: one real member's inbox stays small.
/// </summary>
internal static class DatasetBuilder
{
    public const int Communities = 1000;
    public const int OpenEveryNth = 100;
    public const int DueTimers = 50;
    public const int SeedCommunityOpen = 10;
    private const int Batch = 5000;

    public static async Task BuildAsync(Func<WorkflowDbContext> open, int instances, string stateJson, string definitionHash, IReadOnlyList<string> members, DateTimeOffset now)
    {
        var due = 0;
        for (var start = 0; start < instances; start += Batch)
        {
            await using var db = open();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(instances, start + Batch); i++)
            {
                var community = i % Communities == 7 ? "binhe" : $"c-{i % Communities:0000}";

                // The seed community keeps ten open ballots whatever the size: an inbox is small, the table is not.
                var open_ = community == "binhe" ? i / Communities < SeedCommunityOpen : i % OpenEveryNth == 0;
                var id = Guid.CreateVersion7(now.AddSeconds(-i));
                db.Instances.Add(new WorkflowInstance
                {
                    Id = id, CommunityId = community, DefinitionId = "promotion-consultation", DefinitionHash = definitionHash,
                    InitiatorId = "p-liaison-gao", UnitId = "unit-housing-bureau", Status = open_ ? "running" : "completed",
                    Result = open_ ? null : "consent", StateJson = stateJson, Version = 3, CreatedAt = now.AddMinutes(-i), UpdatedAt = now.AddMinutes(-i),
                    JournalSequence = 0, JournalHead = "",
                });
                db.WorkItems.Add(new WorkItem
                {
                    InstanceId = id, BookmarkId = "committee-ballot#2", CommunityId = community, ActivityId = "committee-ballot", Kind = "ballot",
                    Status = open_ ? "open" : "closed", OpenedAt = now.AddMinutes(-i), DueAt = now.AddDays(5),
                });
                if (open_)
                {
                    foreach (var member in members)
                    {
                        db.BallotVoters.Add(new BallotVoter
                        {
                            InstanceId = id, BookmarkId = "committee-ballot#2", CommunityId = community,
                            PersonId = community == "binhe" ? member : $"{community}-{member}", Status = VoterStatus.Pending,
                        });
                    }
                }

                var isDue = open_ && due < DueTimers;
                due += isDue ? 1 : 0;
                db.Timers.Add(new WorkflowTimer
                {
                    InstanceId = id, TimerId = "committee-ballot#2:deadline", CommunityId = community, BookmarkId = "committee-ballot#2",
                    Purpose = "deadline", DueAt = isDue ? now.AddMinutes(-1) : open_ ? now.AddDays(5) : now.AddMinutes(-i),
                    Status = open_ ? TimerStatus.Pending : TimerStatus.Fired,
                });
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            if (start % 100_000 == 0)
            {
                Console.Error.WriteLine($"  {start + Math.Min(Batch, instances - start):N0} / {instances:N0} instances written");
            }
        }
    }
}
