using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence.Configuration;

internal sealed class CommunityConfiguration : IEntityTypeConfiguration<Community>
{
    public void Configure(EntityTypeBuilder<Community> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(64);
        builder.Property(c => c.NameZh).HasMaxLength(200);
        builder.Property(c => c.NameEn).HasMaxLength(200);
        builder.Property(c => c.StreetZh).HasMaxLength(200);
        builder.Property(c => c.StreetEn).HasMaxLength(200);
        builder.Property(c => c.DistrictZh).HasMaxLength(200);
        builder.Property(c => c.DistrictEn).HasMaxLength(200);
    }
}

internal sealed class ResidentUnitConfiguration : IEntityTypeConfiguration<ResidentUnit>
{
    public void Configure(EntityTypeBuilder<ResidentUnit> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).HasMaxLength(64);
        builder.Property(u => u.CommunityId).HasMaxLength(64);
        builder.Property(u => u.NameZh).HasMaxLength(200);
        builder.Property(u => u.NameEn).HasMaxLength(200);
        builder.Property(u => u.Kind).HasMaxLength(32);
        builder.Property(u => u.AgreementText).HasMaxLength(20000);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.CommunityId);
        builder.HasOne<Community>().WithMany().HasForeignKey(u => u.CommunityId);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.CommunityId).HasMaxLength(64);
        builder.Property(p => p.UnitId).HasMaxLength(64);
        builder.Property(p => p.NameZh).HasMaxLength(100);
        builder.Property(p => p.NameEn).HasMaxLength(100);
        builder.Property(p => p.TitleZh).HasMaxLength(200);
        builder.Property(p => p.TitleEn).HasMaxLength(200);
        builder.Property(p => p.Email).HasMaxLength(254);
        builder.Property(p => p.Phone).HasMaxLength(32);
        builder.Property(p => p.Language).HasMaxLength(8);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => p.CommunityId);
        builder.HasOne<Community>().WithMany().HasForeignKey(p => p.CommunityId);
        builder.HasOne<ResidentUnit>().WithMany().HasForeignKey(p => p.UnitId);
        builder.HasMany(p => p.Roles).WithOne().HasForeignKey(r => r.PersonId);
    }
}

internal sealed class PersonRoleConfiguration : IEntityTypeConfiguration<PersonRole>
{
    public void Configure(EntityTypeBuilder<PersonRole> builder)
    {
        builder.HasKey(r => new { r.PersonId, r.Role });
        builder.Property(r => r.PersonId).HasMaxLength(64);
        builder.Property(r => r.Role).HasMaxLength(64);
        builder.HasIndex(r => r.Role);
    }
}
