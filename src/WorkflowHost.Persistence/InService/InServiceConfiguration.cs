using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService;

internal sealed class EndedRegistrationConfiguration : IEntityTypeConfiguration<EndedRegistration>
{
    public void Configure(EntityTypeBuilder<EndedRegistration> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.UnitId).HasMaxLength(64);
        builder.Property(r => r.ResidenceZh).HasMaxLength(200);
        builder.HasIndex(r => new { r.PersonId, r.EndedOn });
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId);
    }
}

internal sealed class ServiceOfferConfiguration : IEntityTypeConfiguration<ServiceOffer>
{
    public void Configure(EntityTypeBuilder<ServiceOffer> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.CommunityId).HasMaxLength(64);
        builder.Property(o => o.Kind).HasMaxLength(16);
        builder.Property(o => o.Category).HasMaxLength(32);
        builder.Property(o => o.Title).HasMaxLength(100);
        builder.Property(o => o.Description).HasMaxLength(1000);
        builder.Property(o => o.PublishedBy).HasMaxLength(64);
        builder.HasIndex(o => new { o.CommunityId, o.DueOn });
        builder.HasOne<Community>().WithMany().HasForeignKey(o => o.CommunityId);
    }
}

internal sealed class ServiceClaimConfiguration : IEntityTypeConfiguration<ServiceClaim>
{
    public void Configure(EntityTypeBuilder<ServiceClaim> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.PersonId).HasMaxLength(64);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.Property(c => c.ConfirmedBy).HasMaxLength(64);

        // One claim per member and offer: claiming twice is refused by the database as well as by the check.
        builder.HasIndex(c => new { c.OfferId, c.PersonId }).IsUnique();
        builder.HasIndex(c => new { c.PersonId, c.ServedOn });
        builder.HasIndex(c => new { c.CommunityId, c.Status, c.DueOn });
        builder.HasOne<ServiceOffer>().WithMany().HasForeignKey(c => c.OfferId);
        builder.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonId);
    }
}

internal sealed class ActivityCheckInConfiguration : IEntityTypeConfiguration<ActivityCheckIn>
{
    public void Configure(EntityTypeBuilder<ActivityCheckIn> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.Title).HasMaxLength(200);
        builder.Property(c => c.Code).HasMaxLength(8);
        builder.Property(c => c.OpenedBy).HasMaxLength(64);
        builder.HasIndex(c => new { c.CommunityId, c.Code, c.ClosesAt });
        builder.HasIndex(c => new { c.InstanceId, c.ClosesAt });
        builder.HasOne<Community>().WithMany().HasForeignKey(c => c.CommunityId);
    }
}

internal sealed class CheckInFailureConfiguration : IEntityTypeConfiguration<CheckInFailure>
{
    public void Configure(EntityTypeBuilder<CheckInFailure> builder)
    {
        builder.HasKey(f => f.Id);
        builder.Property(f => f.PersonId).HasMaxLength(64);
        builder.HasIndex(f => new { f.PersonId, f.At });
        builder.HasOne<Person>().WithMany().HasForeignKey(f => f.PersonId);
    }
}

internal sealed class AttendanceRemovalConfiguration : IEntityTypeConfiguration<AttendanceRemoval>
{
    public void Configure(EntityTypeBuilder<AttendanceRemoval> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.Title).HasMaxLength(200);
        builder.Property(r => r.Source).HasMaxLength(16);
        builder.Property(r => r.Role).HasMaxLength(16);
        builder.Property(r => r.RecordedBy).HasMaxLength(64);
        builder.Property(r => r.RemovedBy).HasMaxLength(64);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.HasIndex(r => new { r.InstanceId, r.PersonId });
        builder.HasOne<Community>().WithMany().HasForeignKey(r => r.CommunityId);
    }
}
