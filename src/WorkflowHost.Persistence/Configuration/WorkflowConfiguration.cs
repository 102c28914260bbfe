using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class DefinitionRevisionConfiguration : IEntityTypeConfiguration<DefinitionRevision>
{
    public void Configure(EntityTypeBuilder<DefinitionRevision> builder)
    {
        builder.HasKey(r => r.ContentHash);
        builder.Property(r => r.ContentHash).HasMaxLength(64);
        builder.Property(r => r.DefinitionId).HasMaxLength(64);
        builder.HasIndex(r => new { r.DefinitionId, r.Version });
    }
}

internal sealed class WorkflowInstanceConfiguration : IEntityTypeConfiguration<WorkflowInstance>
{
    public void Configure(EntityTypeBuilder<WorkflowInstance> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.CommunityId).HasMaxLength(64);
        builder.Property(i => i.DefinitionId).HasMaxLength(64);
        builder.Property(i => i.DefinitionHash).HasMaxLength(64);
        builder.Property(i => i.InitiatorId).HasMaxLength(64);
        builder.Property(i => i.UnitId).HasMaxLength(64);
        builder.Property(i => i.Status).HasMaxLength(16);
        builder.Property(i => i.Result).HasMaxLength(64);
        builder.Property(i => i.JournalHead).HasMaxLength(64);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasIndex(i => new { i.CommunityId, i.Status, i.CreatedAt });
        builder.HasIndex(i => new { i.CommunityId, i.UnitId, i.CreatedAt });
        builder.Property(i => i.SubjectKey).HasMaxLength(ConsultationSubject.KeyLength);

        // prior-consultations: the same process, subject and unit this year (decision 145). The key before the unit, so
        // the start-up backfill's "no key yet" is a seek too, not a scan of every instance on each start.
        builder.HasIndex(i => new { i.CommunityId, i.DefinitionId, i.SubjectKey, i.UnitId, i.CreatedAt });
        builder.HasOne<DefinitionRevision>().WithMany().HasForeignKey(i => i.DefinitionHash);
    }
}

internal sealed class WorkItemConfiguration : IEntityTypeConfiguration<WorkItem>
{
    public void Configure(EntityTypeBuilder<WorkItem> builder)
    {
        builder.HasKey(w => new { w.InstanceId, w.BookmarkId });
        builder.Property(w => w.BookmarkId).HasMaxLength(80);
        builder.Property(w => w.CommunityId).HasMaxLength(64);
        builder.Property(w => w.ActivityId).HasMaxLength(64);
        builder.Property(w => w.Kind).HasMaxLength(16);
        builder.Property(w => w.AssigneeKind).HasMaxLength(16);
        builder.Property(w => w.AssigneeValue).HasMaxLength(64);
        builder.Property(w => w.HolderId).HasMaxLength(64);
        builder.Property(w => w.DelegateId).HasMaxLength(64);
        builder.Property(w => w.Status).HasMaxLength(16);
        builder.Property(w => w.Outcome).HasMaxLength(64);
        builder.Property(w => w.ClosedBy).HasMaxLength(64);
        builder.Property(w => w.CloseReason).HasMaxLength(32);
        builder.HasIndex(w => new { w.CommunityId, w.Status, w.AssigneeKind, w.AssigneeValue, w.DueAt });
        builder.HasIndex(w => new { w.CommunityId, w.Status, w.DelegateId });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(w => w.InstanceId);
    }
}

internal sealed class BallotVoterConfiguration : IEntityTypeConfiguration<BallotVoter>
{
    public void Configure(EntityTypeBuilder<BallotVoter> builder)
    {
        builder.HasKey(v => new { v.InstanceId, v.BookmarkId, v.PersonId });
        builder.Property(v => v.BookmarkId).HasMaxLength(80);
        builder.Property(v => v.PersonId).HasMaxLength(64);
        builder.Property(v => v.CommunityId).HasMaxLength(64);
        builder.Property(v => v.Status).HasMaxLength(16);
        builder.Property(v => v.Choice).HasMaxLength(64);
        builder.Property(v => v.Reason).HasMaxLength(2000);
        builder.Property(v => v.EnteredBy).HasMaxLength(64);
        builder.Property(v => v.RecusalReason).HasMaxLength(2000);
        // A vote turns its row from pending to voted. An index on (person, status) moved the entry between two pages on
        // every vote; this pair loses one entry (the inbox's, pending only) and leaves the other as it was (issue 18).
        builder.HasIndex(v => v.PersonId);
        // The pending entry names the whole key after the person (decision 184): the vote's guarded update names those
        // three columns, so a plan that takes this index (PostgreSQL does when its statistics saw no voter pending)
        // still reads one entry instead of filtering every pending ballot of the voter; the inbox reads the person's
        // pending ballots' keys from the index alone.
        builder.HasIndex(v => new { v.PersonId, v.InstanceId, v.BookmarkId }, "IX_BallotVoters_PersonId_Pending")
            .HasFilter($"\"Status\" = '{VoterStatus.Pending}'");
        builder.HasOne<WorkItem>().WithMany().HasForeignKey(v => new { v.InstanceId, v.BookmarkId });
    }
}

internal sealed class WorkflowTimerConfiguration : IEntityTypeConfiguration<WorkflowTimer>
{
    public void Configure(EntityTypeBuilder<WorkflowTimer> builder)
    {
        builder.HasKey(t => new { t.InstanceId, t.TimerId });
        builder.Property(t => t.TimerId).HasMaxLength(100);
        builder.Property(t => t.CommunityId).HasMaxLength(64);
        builder.Property(t => t.BookmarkId).HasMaxLength(80);
        builder.Property(t => t.Purpose).HasMaxLength(16);
        builder.Property(t => t.Status).HasMaxLength(16);
        builder.Property(t => t.JobId).HasMaxLength(64);

        // The sweep asks for pending timers that are due: this index makes that cost depend on the due rows only.
        builder.HasIndex(t => new { t.Status, t.DueAt });
        // The deciding vote cancels its ballot's pending timers by key and status. Its plan, kept per connection (decision
        // 159), took the index above whenever it was made while few timers were pending, and then read every pending
        // timer on each deciding vote (docs/benchmarks.md 23b). Pending timers by their key give the planner an index
        // that names the ballot's rows under any statistics (decision 185).
        builder.HasIndex(t => new { t.InstanceId, t.TimerId }, "IX_Timers_InstanceId_TimerId_Pending")
            .HasFilter($"\"Status\" = '{TimerStatus.Pending}'");
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(t => t.InstanceId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.HasKey(n => n.Id);
        builder.Property(n => n.CommunityId).HasMaxLength(64);
        builder.Property(n => n.UniqueKey).HasMaxLength(300);
        builder.Property(n => n.RecipientId).HasMaxLength(64);
        builder.Property(n => n.Template).HasMaxLength(64);
        builder.HasIndex(n => n.UniqueKey).IsUnique();
        builder.HasIndex(n => new { n.RecipientId, n.ReadAt });
    }
}

internal sealed class NumberSeriesConfiguration : IEntityTypeConfiguration<NumberSeries>
{
    public void Configure(EntityTypeBuilder<NumberSeries> builder)
    {
        builder.HasKey(n => new { n.CommunityId, n.Series, n.Year });
        builder.Property(n => n.CommunityId).HasMaxLength(64);
        builder.Property(n => n.Series).HasMaxLength(32);
    }
}

internal sealed class IdempotentCommandConfiguration : IEntityTypeConfiguration<IdempotentCommand>
{
    public void Configure(EntityTypeBuilder<IdempotentCommand> builder)
    {
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(200);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
    }
}

internal sealed class JournalEventConfiguration : IEntityTypeConfiguration<JournalEvent>
{
    public void Configure(EntityTypeBuilder<JournalEvent> builder)
    {
        builder.HasKey(e => new { e.InstanceId, e.Sequence });
        builder.Property(e => e.CommunityId).HasMaxLength(64);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(e => e.InstanceId);
    }
}
