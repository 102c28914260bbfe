using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class RolePeriodConfiguration : IEntityTypeConfiguration<RolePeriod>
{
    public void Configure(EntityTypeBuilder<RolePeriod> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.Role).HasMaxLength(64);
        builder.HasIndex(r => new { r.PersonId, r.Role });
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId);
    }
}

internal sealed class CommitteeTermConfiguration : IEntityTypeConfiguration<CommitteeTerm>
{
    public void Configure(EntityTypeBuilder<CommitteeTerm> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64);
        builder.Property(t => t.CommunityId).HasMaxLength(64);
        builder.HasIndex(t => new { t.CommunityId, t.Number }).IsUnique();
        builder.HasOne<Community>().WithMany().HasForeignKey(t => t.CommunityId);
        builder.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TermId);
    }
}

internal sealed class CommitteeTermMemberConfiguration : IEntityTypeConfiguration<CommitteeTermMember>
{
    public void Configure(EntityTypeBuilder<CommitteeTermMember> builder)
    {
        builder.HasKey(m => new { m.TermId, m.PersonId });
        builder.Property(m => m.TermId).HasMaxLength(64);
        builder.Property(m => m.PersonId).HasMaxLength(64);
        builder.Property(m => m.Kind).HasMaxLength(16);
        builder.Property(m => m.UnitId).HasMaxLength(64);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId);
        builder.HasOne<ResidentUnit>().WithMany().HasForeignKey(m => m.UnitId);
    }
}

internal sealed class DirectoryChangeConfiguration : IEntityTypeConfiguration<DirectoryChange>
{
    public void Configure(EntityTypeBuilder<DirectoryChange> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.ActorId).HasMaxLength(64);
        builder.Property(c => c.Kind).HasMaxLength(40);
        builder.Property(c => c.SubjectId).HasMaxLength(64);
        builder.HasIndex(c => new { c.CommunityId, c.At });
        builder.HasOne<Community>().WithMany().HasForeignKey(c => c.CommunityId);
    }
}
