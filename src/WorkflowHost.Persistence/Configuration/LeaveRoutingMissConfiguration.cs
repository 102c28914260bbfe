using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class LeaveRoutingMissConfiguration : IEntityTypeConfiguration<LeaveRoutingMiss>
{
    public void Configure(EntityTypeBuilder<LeaveRoutingMiss> builder)
    {
        builder.HasKey(m => new { m.PersonId, m.InstanceId });
        builder.Property(m => m.PersonId).HasMaxLength(64);
        builder.HasIndex(m => m.InstanceId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(m => m.InstanceId).OnDelete(DeleteBehavior.Cascade);
    }
}
