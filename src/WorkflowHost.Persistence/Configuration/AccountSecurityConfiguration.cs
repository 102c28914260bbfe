using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

/// <summary>Invitation and reset links: found by the hash of their token, superseded by account.</summary>
internal sealed class AccountLinkConfiguration : IEntityTypeConfiguration<AccountLink>
{
    public void Configure(EntityTypeBuilder<AccountLink> builder)
    {
        builder.ToTable("AccountLinks");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.AccountId).HasMaxLength(450);
        builder.Property(l => l.CreatedByAccountId).HasMaxLength(450);
        builder.Property(l => l.Purpose).HasMaxLength(16);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => l.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountRecoveryCodeConfiguration : IEntityTypeConfiguration<AccountRecoveryCode>
{
    public void Configure(EntityTypeBuilder<AccountRecoveryCode> builder)
    {
        builder.ToTable("AccountRecoveryCodes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.AccountId).HasMaxLength(450);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasIndex(c => new { c.AccountId, c.CodeHash }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
