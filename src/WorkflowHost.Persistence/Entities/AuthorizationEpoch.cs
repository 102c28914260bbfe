using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkflowHost.Persistence.Entities;

/// <summary>
/// One row, one counter: raised by database triggers (migration <c>AuthorizationEpoch</c>) in the same transaction as
/// every change of what a session check reads (sessions, accounts, people, their roles). A host may reuse a session check
/// it made at epoch E only where a step's own read sees E still (docs/decisions/0173). Nothing in the application writes
/// it: a trigger cannot be forgotten by a new code path.
/// </summary>
public sealed class AuthorizationEpoch
{
    /// <summary>The one row's key.</summary>
    public const int RowId = 1;

    public int Id { get; init; }

    public long Value { get; init; }
}

internal sealed class AuthorizationEpochConfiguration : IEntityTypeConfiguration<AuthorizationEpoch>
{
    public void Configure(EntityTypeBuilder<AuthorizationEpoch> builder)
    {
        builder.ToTable("AuthorizationEpochs");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.HasData(new AuthorizationEpoch { Id = AuthorizationEpoch.RowId, Value = 0 });
    }
}
