using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class SealedChoiceConfiguration : IEntityTypeConfiguration<SealedChoice>
{
    public void Configure(EntityTypeBuilder<SealedChoice> builder)
    {
        builder.ToTable("SealedChoices");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.BookmarkId).HasMaxLength(80);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.Sealed).HasMaxLength(Sealing.BallotSeal.SealedLength);
        builder.HasIndex(c => new { c.InstanceId, c.BookmarkId });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(c => c.InstanceId);
    }
}

internal sealed class StoreKeyCheckConfiguration : IEntityTypeConfiguration<StoreKeyCheck>
{
    public void Configure(EntityTypeBuilder<StoreKeyCheck> builder)
    {
        builder.ToTable("StoreKeyChecks");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(32);
        builder.Property(c => c.Check).HasMaxLength(64);
    }
}
