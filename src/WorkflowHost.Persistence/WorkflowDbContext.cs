using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence;

/// <summary>
/// One context for both providers; each provider has its own migrations assembly
/// (<c>WorkflowHost.Persistence.Sqlite</c>, <c>WorkflowHost.Persistence.PostgreSql</c>).
/// The sign-in accounts (ASP.NET Core Identity, users only: roles come from the directory) live here too, in the same
/// database and the same migrations; the engine knows nothing of them. So do the data-protection keys, so that every host
/// on one database accepts the cookies and tokens any of them issued.
/// </summary>
public class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : IdentityUserContext<Account>(options), IDataProtectionKeyContext
{
    private bool? _onPostgreSql;

    /// <summary>
    /// True on PostgreSQL. Steps ask it on every vote: EF Core's <c>IsNpgsql()</c> compares the provider's assembly name,
    /// which it reads anew on each call (an <c>AssemblyName</c> and its strings, about 0.7 KB), while a context, pooled
    /// and reset between leases, keeps its provider for life.
    /// </summary>
    public bool OnPostgreSql => _onPostgreSql ??= Database.IsNpgsql();

    public DbSet<Account> Accounts => Set<Account>();

    /// <summary>Cookie and bearer sessions, checked on every authenticated request (docs/decisions/0075).</summary>
    public DbSet<AccountSession> AccountSessions => Set<AccountSession>();

    /// <summary>The one counter every change of what a session check reads raises, by trigger (docs/decisions/0173).</summary>
    public DbSet<AuthorizationEpoch> AuthorizationEpochs => Set<AuthorizationEpoch>();

    /// <summary>Invitation and reset links, by the hash of their token (docs/decisions/0105).</summary>
    public DbSet<AccountLink> AccountLinks => Set<AccountLink>();

    /// <summary>Two-factor recovery codes, hashed, each good once.</summary>
    public DbSet<AccountRecoveryCode> AccountRecoveryCodes => Set<AccountRecoveryCode>();

    /// <summary>The keys that protect sign-in cookies, bearer tokens and antiforgery tokens, shared by every host on this database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<IssuedNumber> IssuedNumbers => Set<IssuedNumber>();

    public DbSet<Community> Communities => Set<Community>();

    public DbSet<ResidentUnit> Units => Set<ResidentUnit>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<PersonRole> PersonRoles => Set<PersonRole>();

    public DbSet<DefinitionRevision> DefinitionRevisions => Set<DefinitionRevision>();

    public DbSet<WorkflowInstance> Instances => Set<WorkflowInstance>();

    public DbSet<WorkItem> WorkItems => Set<WorkItem>();

    public DbSet<BallotVoter> BallotVoters => Set<BallotVoter>();

    public DbSet<WorkflowTimer> Timers => Set<WorkflowTimer>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    public DbSet<CommunityChannel> CommunityChannels => Set<CommunityChannel>();

    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();

    public DbSet<ChannelHealth> ChannelHealth => Set<ChannelHealth>();

    public DbSet<NumberSeries> NumberSeries => Set<NumberSeries>();

    public DbSet<IdempotentCommand> IdempotentCommands => Set<IdempotentCommand>();

    public DbSet<JournalEvent> JournalEvents => Set<JournalEvent>();

    /// <summary>Secret ballots' choices while the ballot is open, sealed under a key that is not in the database (decision 91).</summary>
    public DbSet<SealedChoice> SealedChoices => Set<SealedChoice>();

    /// <summary>Which sealing key this database was written with (decision 90).</summary>
    public DbSet<StoreKeyCheck> StoreKeyChecks => Set<StoreKeyCheck>();

    /// <summary>The directory's history: role periods, committee terms and the change journal (decision 109).</summary>
    public DbSet<RolePeriod> RolePeriods => Set<RolePeriod>();

    public DbSet<CommitteeTerm> CommitteeTerms => Set<CommitteeTerm>();

    public DbSet<CommitteeTermMember> CommitteeTermMembers => Set<CommitteeTermMember>();

    public DbSet<DirectoryChange> DirectoryChanges => Set<DirectoryChange>();

    /// <summary>Uploaded files and their content, by SHA-256 (docs/decisions/0114).</summary>
    public DbSet<Attachments.Attachment> Attachments => Set<Attachments.Attachment>();

    public DbSet<Attachments.AttachmentBlob> AttachmentBlobs => Set<Attachments.AttachmentBlob>();

    public DbSet<Attachments.AttachmentChunk> AttachmentChunks => Set<Attachments.AttachmentChunk>();
    /// <summary>请假 with a deputy, read into the directory so the engine routes personal tasks to the deputy.</summary>
    public DbSet<Absence> Absences => Set<Absence>();

    /// <summary>Cases where a leave moved nothing, so the overdue sweep does not retry them until something changes (0136).</summary>
    public DbSet<LeaveRoutingMiss> LeaveRoutingMisses => Set<LeaveRoutingMiss>();

    /// <summary>People who may read a case besides the usual rule: copied on it, or who prepared one of its tasks.</summary>
    public DbSet<CaseReader> CaseReaders => Set<CaseReader>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; ticks in UTC keep comparisons and ORDER BY in the database (the overdue sweep needs both).
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WorkflowDbContext).Assembly);
        Queries.StoredText.Map(builder, Database.IsSqlite());
        if (Database.IsNpgsql())
        {
            // Every step rewrites its instance's row (the state's JSON, version, journal head), never an indexed column.
            // PostgreSQL can then keep the new version on the same page without touching the table's five indexes (a HOT
            // update), but only if the page has room: full pages made half of a vote's state updates write all five
            // (decision 184, docs/benchmarks.md 23b). A page filled to 70 % leaves room for one more version of a row.
            builder.Entity<WorkflowInstance>().HasStorageParameter("fillfactor", InstancesFillFactor);
        }
    }

    /// <summary>How full PostgreSQL fills the instances' pages on insert (decision 184).</summary>
    internal const int InstancesFillFactor = 70;

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
