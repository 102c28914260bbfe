using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class CommunityChannelConfiguration : IEntityTypeConfiguration<CommunityChannel>
{
    public void Configure(EntityTypeBuilder<CommunityChannel> builder)
    {
        builder.HasKey(c => new { c.CommunityId, c.Channel });
        builder.Property(c => c.CommunityId).HasMaxLength(64);
        builder.Property(c => c.Channel).HasMaxLength(16);
        builder.Property(c => c.ProtectedWebhook).HasMaxLength(4000);
        builder.Property(c => c.ProtectedSecret).HasMaxLength(4000);
        builder.Property(c => c.Hint).HasMaxLength(200);
        builder.Property(c => c.UpdatedBy).HasMaxLength(64);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> builder)
    {
        builder.HasKey(p => p.PersonId);
        builder.Property(p => p.PersonId).HasMaxLength(64);
        builder.Property(p => p.Channels).HasMaxLength(200);
        builder.HasIndex(p => p.Digest);
    }
}

internal sealed class ChannelHealthConfiguration : IEntityTypeConfiguration<ChannelHealth>
{
    public void Configure(EntityTypeBuilder<ChannelHealth> builder)
    {
        builder.HasKey(h => new { h.CommunityId, h.Channel });
        builder.Property(h => h.CommunityId).HasMaxLength(64);
        builder.Property(h => h.Channel).HasMaxLength(16);
        builder.Property(h => h.LastError).HasMaxLength(2000);
    }
}
