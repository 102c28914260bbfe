using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

/// <summary>
/// The Identity tables, renamed to match the rest of the schema (<c>Accounts</c>, not <c>AspNetUsers</c>); one account
/// per person. Kept apart from the workflow tables' configuration so the two can change independently.
/// </summary>
internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("Accounts");
        builder.Property(a => a.PersonId).HasMaxLength(64);
        builder.HasIndex(a => a.PersonId).IsUnique();
        builder.Property(a => a.TwoFactorSecret).HasMaxLength(Sealing.TwoFactorSeal.SealedLength);
        builder.Property(a => a.PendingTwoFactorSecret).HasMaxLength(Sealing.TwoFactorSeal.SealedLength);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.PersonId);
    }
}

/// <summary>Sign-in sessions (docs/decisions/0075): looked up by id on every request, ended by account.</summary>
internal sealed class AccountSessionConfiguration : IEntityTypeConfiguration<AccountSession>
{
    public void Configure(EntityTypeBuilder<AccountSession> builder)
    {
        builder.ToTable("AccountSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.AccountId).HasMaxLength(450);
        builder.Property(s => s.Kind).HasMaxLength(16);
        builder.Property(s => s.SecurityStamp).HasMaxLength(256);
        builder.Property(s => s.EndReason).HasMaxLength(64);
        builder.HasIndex(s => s.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssuedNumberConfiguration : IEntityTypeConfiguration<IssuedNumber>
{
    public void Configure(EntityTypeBuilder<IssuedNumber> builder)
    {
        builder.HasKey(n => new { n.CommunityId, n.Series, n.Number });
        builder.Property(n => n.CommunityId).HasMaxLength(64);
        builder.Property(n => n.Series).HasMaxLength(32);
        builder.Property(n => n.Number).HasMaxLength(64);
        builder.Property(n => n.ActivityId).HasMaxLength(64);
        builder.HasIndex(n => n.Number);
        builder.HasIndex(n => new { n.InstanceId, n.ActivityId });
        builder.HasOne<WorkflowInstance>().WithMany().HasForeignKey(n => n.InstanceId);
    }
}

internal sealed class AccountClaimConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.Identity.IdentityUserClaim<string>>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.Identity.IdentityUserClaim<string>> builder) => builder.ToTable("AccountClaims");
}

internal sealed class AccountLoginConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.Identity.IdentityUserLogin<string>>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.Identity.IdentityUserLogin<string>> builder) => builder.ToTable("AccountLogins");
}

internal sealed class AccountTokenConfiguration : IEntityTypeConfiguration<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>
{
    public void Configure(EntityTypeBuilder<Microsoft.AspNetCore.Identity.IdentityUserToken<string>> builder) => builder.ToTable("AccountTokens");
}
