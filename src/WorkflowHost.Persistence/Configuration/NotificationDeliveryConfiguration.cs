using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.HasKey(d => new { d.NotificationId, d.Channel });
        builder.Property(d => d.Channel).HasMaxLength(16);
        builder.Property(d => d.CommunityId).HasMaxLength(64);
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.Address).HasMaxLength(320);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.Property(d => d.ExternalId).HasMaxLength(128);
        builder.Property(d => d.Report).HasMaxLength(200);

        // The outbox sweep asks for pending deliveries that are due, and administrators for the failed ones.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId);
    }
}
