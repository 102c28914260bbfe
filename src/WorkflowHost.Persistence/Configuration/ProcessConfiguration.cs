using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class FacilityConfiguration : IEntityTypeConfiguration<Facility>
{
    public void Configure(EntityTypeBuilder<Facility> builder)
    {
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).HasMaxLength(64);
        builder.Property(f => f.CommunityId).HasMaxLength(64);
        builder.Property(f => f.OwnerUnitId).HasMaxLength(64);
        builder.Property(f => f.NameZh).HasMaxLength(200);
        builder.Property(f => f.NameEn).HasMaxLength(200);
        builder.Property(f => f.Kind).HasMaxLength(32);
        builder.HasIndex(f => new { f.CommunityId, f.OwnerUnitId });
        builder.HasOne<Community>().WithMany().HasForeignKey(f => f.CommunityId);
        builder.HasOne<ResidentUnit>().WithMany().HasForeignKey(f => f.OwnerUnitId);
    }
}

internal sealed class FacilityReservationConfiguration : IEntityTypeConfiguration<FacilityReservation>
{
    public void Configure(EntityTypeBuilder<FacilityReservation> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.FacilityId).HasMaxLength(64);
        builder.Property(r => r.ActivityId).HasMaxLength(64);
        builder.Property(r => r.UnitId).HasMaxLength(64);
        builder.Property(r => r.Status).HasMaxLength(16);

        // The overlap check reads the active reservations of one facility around a time.
        builder.HasIndex(r => new { r.FacilityId, r.Status, r.StartsAt });
        builder.HasIndex(r => new { r.InstanceId, r.ActivityId, r.ItemIndex });
        builder.HasOne<Facility>().WithMany().HasForeignKey(r => r.FacilityId);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(r => r.InstanceId);
    }
}

internal sealed class InServiceRegistrationConfiguration : IEntityTypeConfiguration<InServiceRegistration>
{
    public void Configure(EntityTypeBuilder<InServiceRegistration> builder)
    {
        builder.HasKey(r => r.PersonId);
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.Property(r => r.UnitId).HasMaxLength(64);
        builder.Property(r => r.ResidenceZh).HasMaxLength(200);
        builder.Property(r => r.ResidenceEn).HasMaxLength(200);
        builder.Property(r => r.MaskedIdNumber).HasMaxLength(18);
        builder.Property(r => r.Branch).HasMaxLength(100);
        builder.Property(r => r.Phone).HasMaxLength(20);
        builder.Property(r => r.Skills).HasMaxLength(200);
        builder.Property(r => r.PreferredPosts).HasMaxLength(200);
        builder.HasIndex(r => new { r.CommunityId, r.UnitId });
        builder.HasOne<Person>().WithOne().HasForeignKey<InServiceRegistration>(r => r.PersonId);
        builder.HasOne<ResidentUnit>().WithMany().HasForeignKey(r => r.UnitId);
    }
}

internal sealed class CommunityParticipationConfiguration : IEntityTypeConfiguration<CommunityParticipation>
{
    public void Configure(EntityTypeBuilder<CommunityParticipation> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.CommunityId).HasMaxLength(64);
        builder.Property(p => p.PersonId).HasMaxLength(64);
        builder.Property(p => p.Title).HasMaxLength(200);
        builder.Property(p => p.Source).HasMaxLength(16).HasDefaultValue("summary");
        builder.Property(p => p.Role).HasMaxLength(16).HasDefaultValue("participant");
        builder.Property(p => p.RecordedBy).HasMaxLength(64);
        builder.HasIndex(p => new { p.PersonId, p.Date });

        // A member is counted once per activity, however many ways it was recorded (attendance, check-in, summary).
        builder.HasIndex(p => new { p.InstanceId, p.PersonId }).IsUnique();
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.PersonId);
    }
}

internal sealed class InstanceCommentConfiguration : IEntityTypeConfiguration<InstanceComment>
{
    public void Configure(EntityTypeBuilder<InstanceComment> builder)
    {
        builder.HasKey(c => new { c.InstanceId, c.CommentId });
        builder.Property(c => c.CommentId).HasMaxLength(32);
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.ActorId).HasMaxLength(64);
        builder.Property(c => c.BookmarkId).HasMaxLength(80);
        builder.Property(c => c.Text).HasMaxLength(2000);
        builder.HasIndex(c => new { c.InstanceId, c.CreatedAt });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(c => c.InstanceId);
    }
}

internal sealed class IssuedDocumentConfiguration : IEntityTypeConfiguration<IssuedDocument>
{
    public void Configure(EntityTypeBuilder<IssuedDocument> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.CommunityId).HasMaxLength(64);
        builder.Property(d => d.DocumentType).HasMaxLength(64);
        builder.Property(d => d.Series).HasMaxLength(32);
        builder.Property(d => d.Number).HasMaxLength(64);
        builder.Property(d => d.ActivityId).HasMaxLength(64);
        builder.HasIndex(d => new { d.CommunityId, d.Series, d.Year, d.Number }).IsUnique();

        // Verification looks a number up without knowing the community.
        builder.HasIndex(d => d.Number);
        builder.HasIndex(d => new { d.InstanceId, d.ActivityId });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(d => d.InstanceId);
    }
}

internal sealed class CoBuildingEntryConfiguration : IEntityTypeConfiguration<CoBuildingEntry>
{
    public void Configure(EntityTypeBuilder<CoBuildingEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.CommunityId).HasMaxLength(64);
        builder.Property(e => e.UnitId).HasMaxLength(64);
        builder.Property(e => e.ActivityId).HasMaxLength(64);
        builder.Property(e => e.Kind).HasMaxLength(16);
        builder.Property(e => e.Resource).HasMaxLength(32);
        builder.Property(e => e.Title).HasMaxLength(200);
        builder.HasIndex(e => new { e.CommunityId, e.UnitId, e.Kind });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(e => e.InstanceId);
    }
}
