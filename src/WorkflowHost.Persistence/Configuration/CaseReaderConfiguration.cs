using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class CaseReaderConfiguration : IEntityTypeConfiguration<CaseReader>
{
    public void Configure(EntityTypeBuilder<CaseReader> builder)
    {
        builder.HasKey(r => new { r.InstanceId, r.PersonId });
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.Reason).HasMaxLength(16);
        builder.Property(r => r.AddedBy).HasMaxLength(64);

        // "Copied to me", newest first.
        builder.HasIndex(r => new { r.PersonId, r.Reason, r.AddedAt });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(r => r.InstanceId).OnDelete(DeleteBehavior.Cascade);
    }
}
