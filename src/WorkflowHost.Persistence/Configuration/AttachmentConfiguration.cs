using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Attachments;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> builder)
    {
        builder.ToTable("Attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.CommunityId).HasMaxLength(64);
        builder.Property(a => a.UploadedBy).HasMaxLength(64);
        builder.Property(a => a.FileName).HasMaxLength(AttachmentNames.MaxLength);
        builder.Property(a => a.Kind).HasMaxLength(8);
        builder.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();

        // The blob cannot go while an upload names it: the cleaner's delete of a blob a new upload has just reused fails
        // instead of losing the file.
        builder.HasOne<AttachmentBlob>().WithMany().HasForeignKey(a => a.Sha256).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(a => a.InstanceId).OnDelete(DeleteBehavior.Restrict);
        // Set once, guarded: two steps putting one upload on two cases, or a step racing the cleaner, conflict instead of overwriting.
        builder.Property(a => a.InstanceId).IsConcurrencyToken();
        builder.HasIndex(a => a.Sha256);

        // The orphan cleaner's scan: uploads still on no case, oldest first.
        builder.HasIndex(a => new { a.InstanceId, a.UploadedAt });
    }
}

internal sealed class AttachmentBlobConfiguration : IEntityTypeConfiguration<AttachmentBlob>
{
    public void Configure(EntityTypeBuilder<AttachmentBlob> builder)
    {
        builder.ToTable("AttachmentBlobs");
        builder.HasKey(b => b.Sha256);
        builder.Property(b => b.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(b => b.Location).HasMaxLength(16);
    }
}

internal sealed class AttachmentChunkConfiguration : IEntityTypeConfiguration<AttachmentChunk>
{
    public void Configure(EntityTypeBuilder<AttachmentChunk> builder)
    {
        builder.ToTable("AttachmentChunks");
        builder.HasKey(c => new { c.Sha256, c.Index });
        builder.Property(c => c.Sha256).HasMaxLength(64).IsFixedLength();
        builder.HasOne<AttachmentBlob>().WithMany().HasForeignKey(c => c.Sha256).OnDelete(DeleteBehavior.Cascade);
    }
}
