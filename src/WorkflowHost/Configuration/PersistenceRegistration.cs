using FluentValidation;
using Microsoft.Extensions.Options;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Calendar;

namespace WorkflowHost.Configuration;

internal static class PersistenceRegistration
{
    public static WebApplicationBuilder AddWorkflowEngineOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<WorkflowHostOptions, WorkflowHostOptionsValidator>(WorkflowHostOptions.Section);
        builder.Services.AddValidatedOptions<CalendarOptions, CalendarOptionsValidator>(CalendarOptions.Section);
        builder.Services.AddSingleton<IWorkingCalendar>(sp =>
        {
            var hostOptions = sp.GetRequiredService<IOptions<WorkflowHostOptions>>().Value;
            var folder = Path.Combine(Path.GetFullPath(hostOptions.SeedsFolder, builder.Environment.ContentRootPath), "calendar");
            return CalendarLoader.Load(folder, sp.GetRequiredService<IOptions<CalendarOptions>>().Value, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Calendar"));
        });
        return builder;
    }

    public static WebApplicationBuilder AddWorkflowPersistence(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptionsNow<PersistenceOptions, PersistenceOptionsValidator>(PersistenceOptions.Section);
        Features.Attachments.AttachmentsRegistration.AddAttachmentOptions(builder);
        builder.Services.AddWorkflowPersistence(options, builder.Environment.ContentRootPath);
        if (PersistenceServiceCollectionExtensions.UsesCheckpointer(options))
        {
            // Started and stopped with the host; disposed (the final checkpoint) with the service provider (decision 167).
            builder.Services.AddHostedService<SqliteCheckpointerService>();
        }

        // The sealing key: journal chain and secret ballots (decisions 90, 91), validated at start, never in the database.
        builder.Services.AddValidatedOptions<SealingOptions, SealingOptionsValidator>(SealingOptions.Section);
        builder.Services.AddSingleton(sp => WorkflowHost.Persistence.Sealing.StoreKeys.FromBase64(sp.GetRequiredService<IOptions<SealingOptions>>().Value.Key));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name);
        return builder;
    }

    public static async Task InitializeWorkflowDatabaseAsync(this WebApplication app)
    {
        // Load the calendar now, so its files are checked (and an unverified year reported) at start-up rather than by
        // whichever request or job first needs a deadline.
        app.Services.GetRequiredService<IWorkingCalendar>();
        var options = app.Services.GetRequiredService<IOptions<WorkflowHostOptions>>().Value;
        var root = app.Environment.ContentRootPath;
        await WorkflowDatabase.InitializeAsync(app.Services, Path.GetFullPath(options.WorkflowsFolder, root), Path.GetFullPath(options.SeedsFolder, root));
    }
}

/// <summary>Runs SQLite's background checkpointer while the host runs (decision 167).</summary>
internal sealed class SqliteCheckpointerService(SqliteCheckpointer checkpointer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        checkpointer.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => checkpointer.StopAsync();
}

internal sealed class PersistenceOptionsValidator : AbstractValidator<PersistenceOptions>
{
    public PersistenceOptionsValidator()
    {
        RuleFor(o => o.Provider).IsInEnum();
        RuleFor(o => o.DataFolder).NotEmpty().When(o => o.Provider == DatabaseProvider.Sqlite);
        RuleFor(o => o.SqliteFileName).NotEmpty().Must(n => n.IndexOfAny(Path.GetInvalidFileNameChars()) < 0)
            .When(o => o.Provider == DatabaseProvider.Sqlite).WithMessage("must be a plain file name");
        RuleFor(o => o.PostgreSqlConnectionString).NotEmpty().When(o => o.Provider == DatabaseProvider.PostgreSql)
            .WithMessage("is required when Provider is PostgreSql");
        RuleFor(o => o.MaxConcurrencyRetries).InclusiveBetween(1, 1000);
        RuleFor(o => o.KeptReaders).InclusiveBetween(0, 64).When(o => o.KeptReaders is not null);
        RuleFor(o => o.WalCheckpointPages).Must(p => p == 0 || p is >= 100 and <= 100_000).When(o => o.WalCheckpointPages is not null)
            .WithMessage("must be 0 (off) or between 100 and 100000 pages");
        RuleFor(o => o.KeptInstanceStates).InclusiveBetween(0, 1_000_000).When(o => o.KeptInstanceStates is not null);
        RuleFor(o => o.WalHardLimitPages).InclusiveBetween(1_000, 1_000_000).When(o => o.WalHardLimitPages is not null);
        RuleFor(o => o.WalHardLimitPages).Must((o, limit) => limit >= 4 * SqliteCheckpointer.PagesFor(o))
            .When(o => o.WalHardLimitPages is not null).WithMessage("must be at least four times WalCheckpointPages");
    }
}

internal sealed class CalendarOptionsValidator : AbstractValidator<CalendarOptions>
{
    public CalendarOptionsValidator()
    {
        RuleFor(o => o.TimeZone).Must(BeKnownTimeZone).WithMessage(o => $"'{o.TimeZone}' is not a known time zone id (e.g. Asia/Shanghai)");
        RuleFor(o => o.EndOfWorkingDay).Must(t => TimeOnly.TryParseExact(t, "HH:mm", out _)).WithMessage("must be a time written HH:mm, such as 17:30");
    }

    private static bool BeKnownTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
