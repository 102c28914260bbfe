using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WorkflowHost.Persistence.Entities;

namespace WorkflowHost.Persistence;

/// <summary>
/// One context for both providers; each provider has its own migrations assembly
/// (<c>WorkflowHost.Persistence.Sqlite</c>, <c>WorkflowHost.Persistence.PostgreSql</c>).
/// </summary>
public class WorkflowDbContext(DbContextOptions<WorkflowDbContext> options) : DbContext(options)
{
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

    public DbSet<NumberSeries> NumberSeries => Set<NumberSeries>();

    public DbSet<IdempotentCommand> IdempotentCommands => Set<IdempotentCommand>();

    public DbSet<JournalEvent> JournalEvents => Set<JournalEvent>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; ticks in UTC keep comparisons and ORDER BY in the database (the overdue sweep needs both).
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkflowDbContext).Assembly);

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
