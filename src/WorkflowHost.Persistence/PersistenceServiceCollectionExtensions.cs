using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Participants;
using WorkflowHost.Persistence.Records;
using WorkflowHost.Persistence.Instances;
using WorkflowHost.Persistence.Queries;

namespace WorkflowHost.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string SqliteMigrationsAssembly = "WorkflowHost.Migrations.Sqlite";
    public const string PostgreSqlMigrationsAssembly = "WorkflowHost.Migrations.PostgreSql";

    /// <summary>
    /// The database (SQLite file or PostgreSQL), the definition catalog, and the command pipeline.
    /// <paramref name="contentRoot"/> anchors relative paths such as the data folder.
    /// </summary>
    public static IServiceCollection AddWorkflowPersistence(this IServiceCollection services, PersistenceOptions options, string contentRoot)
    {
        services.AddSingleton(options);
        // Pooled: building a context (its internal services, change tracker, state manager) allocated more per vote than
        // the vote's own work; a pooled one is reset and reused (issue 18, the load driver's --allocations).
        services.AddPooledDbContextFactory<WorkflowDbContext>(builder => Configure(builder, options, contentRoot));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkingCalendar>(_ => WorkingCalendar.WeekdaysOnly());
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<DirectoryCache>();
        services.AddSingleton<AbsenceStore>();
        services.AddSingleton<DirectoryAdministration>();
        services.AddSingleton<BallotDepartures>();
        services.AddSingleton<LeaveRouting>();
        services.AddSingleton<StepWriteGate>();
        if (options.Provider == DatabaseProvider.Sqlite && options.GroupCommit)
        {
            services.AddMetrics();
            services.AddSingleton<GroupCommit>();
        }

        if (UsesCheckpointer(options))
        {
            services.AddMetrics();
            services.AddSingleton<SqliteCheckpointer>();
        }

        if (options.Provider == DatabaseProvider.Sqlite && SqliteKeptReaders.BoundFor(options) > 0)
        {
            services.AddMetrics();
            services.AddSingleton<SqliteKeptReaders>();
        }

        services.AddMetrics();
        services.AddSingleton<KeptStates>();
        services.AddSingleton<WorkflowCommands>();
        services.AddSingleton<WorkflowQueries>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<TimerJobs>();
        services.TryAddSingleton(new Attachments.AttachmentOptions());
        services.AddSingleton(sp => new Attachments.BlobContent(sp.GetRequiredService<Attachments.AttachmentOptions>(), contentRoot));
        services.AddSingleton<Attachments.AttachmentStore>();
        services.AddSingleton<Attachments.OrphanAttachments>();
        services.AddSingleton<InService.ServiceDesk>();
        services.AddSingleton<InService.InServiceRecords>();
        services.AddSingleton<InService.Feedback.FeedbackReader>();
        services.AddSingleton<InService.Feedback.AnnualFeedbackOpener>();
        services.AddSingleton<InService.ParticipationLog>();
        services.AddSingleton<InService.ClaimReminders>();
        services.AddSingleton<InService.InServiceFigures>();
        services.AddProcessStore();
        return services;
    }

    /// <summary>Whether the group writer leaves the write-ahead log's checkpoints to <see cref="SqliteCheckpointer"/>.</summary>
    public static bool UsesCheckpointer(PersistenceOptions options) =>
        options.Provider == DatabaseProvider.Sqlite && options.GroupCommit && SqliteCheckpointer.PagesFor(options) > 0;

    /// <summary>
    /// The sealing key (base64 of at least 32 random bytes, <c>Sealing:Key</c> in the host): keys the journal's hash chain and
    /// seals secret ballots' choices (decisions 90 and 91). Required by the command pipeline and the journal's verification.
    /// </summary>
    public static IServiceCollection AddStoreKeys(this IServiceCollection services, string base64Key)
    {
        services.AddSingleton(Sealing.StoreKeys.FromBase64(base64Key));
        return services;
    }

    /// <remarks>
    /// A list in a query (a caller's roles, the communities they oversee) goes as one array parameter: <c>json_each</c> on
    /// SQLite, <c>= ANY</c> on PostgreSQL. EF Core 10's default, a parameter per item, makes the SQL depend on the list's
    /// length, and EF Core generated it again on every execution, compiled queries included (issue 18, decision 142). On
    /// SQLite the list's JSON text is remembered per content rather than written on every execution (decision 183).
    /// </remarks>
    public static void Configure(DbContextOptionsBuilder builder, PersistenceOptions options, string contentRoot)
    {
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                builder.UseSqlite(SqliteConnectionString(options, contentRoot), sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly)
                    .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
                builder.AddInterceptors(SqlitePragmas.Instance, SqliteFunctions.Instance);
                builder.ReplaceService<IQueryCompilationContextFactory, HoistingSqliteQueryCompilationContextFactory>();
                builder.ReplaceService<IRelationalTypeMappingSource, StringListJsonSqliteTypeMappingSource>();
                break;
            case DatabaseProvider.PostgreSql:
                builder.UseNpgsql(
                    PostgreSqlConnectionDefaults.Apply(options.PostgreSqlConnectionString
                        ?? throw new InvalidOperationException("Persistence:PostgreSqlConnectionString is required for PostgreSQL.")),
                    npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly)
                        .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
                builder.ReplaceService<IQueryCompilationContextFactory, HoistingNpgsqlQueryCompilationContextFactory>();
                builder.ReplaceService<IRelationalCommandBuilderFactory, PostgreSql.PositionalCommandBuilderFactory>();
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {options.Provider}.");
        }
    }

    public static string SqliteConnectionString(PersistenceOptions options, string contentRoot)
    {
        var folder = Path.GetFullPath(options.DataFolder, contentRoot);
        Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, options.SqliteFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
