using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class AbsenceConfiguration : IEntityTypeConfiguration<Absence>
{
    public void Configure(EntityTypeBuilder<Absence> builder)
    {
        builder.HasKey(a => a.PersonId);
        builder.Property(a => a.PersonId).HasMaxLength(64);
        builder.Property(a => a.CommunityId).HasMaxLength(64);
        builder.Property(a => a.DeputyId).HasMaxLength(64);
        builder.HasIndex(a => new { a.CommunityId, a.LastDay });
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId);
    }
}
