using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.InService.Feedback;

internal sealed class InServiceReviewConfiguration : IEntityTypeConfiguration<InServiceReview>
{
    public void Configure(EntityTypeBuilder<InServiceReview> builder)
    {
        // The once-per-year rule is this key: a second insert for the same community and year fails on either database.
        builder.HasKey(r => new { r.CommunityId, r.Year });
        builder.Property(r => r.CommunityId).HasMaxLength(64);
        builder.HasIndex(r => r.InstanceId).IsUnique();
        builder.HasOne<Community>().WithMany().HasForeignKey(r => r.CommunityId);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(r => r.InstanceId);
    }
}

internal sealed class InServiceEvaluationConfiguration : IEntityTypeConfiguration<InServiceEvaluation>
{
    public void Configure(EntityTypeBuilder<InServiceEvaluation> builder)
    {
        builder.HasKey(e => new { e.CommunityId, e.Year, e.PersonId });
        builder.Property(e => e.CommunityId).HasMaxLength(64);
        builder.Property(e => e.PersonId).HasMaxLength(64);
        builder.Property(e => e.UnitId).HasMaxLength(64);
        builder.Property(e => e.Rating).HasMaxLength(32);
        builder.Property(e => e.Comment).HasMaxLength(200);
        builder.Property(e => e.SavedBy).HasMaxLength(64);
        builder.Property(e => e.LetterNumber).HasMaxLength(64);
        builder.HasIndex(e => e.PersonId);
        builder.HasIndex(e => new { e.CommunityId, e.UnitId, e.Year });
        builder.HasOne<Person>().WithMany().HasForeignKey(e => e.PersonId);
        builder.HasOne<InServiceReview>().WithMany().HasForeignKey(e => new { e.CommunityId, e.Year });
    }
}
