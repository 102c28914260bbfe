using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>How old a Hangfire lock row on PostgreSQL must be before another server may take it over.</summary>
    public static readonly TimeSpan PostgreSqlLockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hangfire in this process, its storage following the database (a SQLite file beside ours, or our PostgreSQL
    /// database in its own schema), the jobs, the after-commit observer that schedules them, and the recurring sweep.
    /// </summary>
    public static IServiceCollection AddWorkflowScheduling(this IServiceCollection services, SchedulingOptions options, PersistenceOptions persistence, string contentRoot)
    {
        services.AddSingleton(options);

        // This host's storage and job activator, from DI. Hangfire's UseStorage and UseActivator set JobStorage.Current
        // and JobActivator.Current, statics for the whole process: a second host in the process (integration tests, a
        // host restarted in place) would then hand the first one its storage, or its service provider, disposed with
        // it. AddHangfire falls back to those statics only when nothing is registered; its clients, the server and the
        // dashboard all take these (docs/decisions/0070).
        services.AddSingleton<JobStorage>(_ => CreateStorage(options, persistence, contentRoot));
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) =>
        {
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                config.UseLogProvider(new DisposalTolerantLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(loggerFactory)));
            }

            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });

        if (options.RunServer)
        {
            services.AddHangfireServer(server =>
            {
                server.Queues = [SchedulingOptions.Queue];
                server.SchedulePollingInterval = options.SchedulePollingInterval;
                server.WorkerCount = options.WorkerCount;
                if (options.ServerName is { Length: > 0 } name)
                {
                    server.ServerName = name;
                }
            });
        }

        services.AddSingleton<ICommittedStepObserver, HangfireStepObserver>();
        services.AddSingleton<DueTimerWaits>();
        services.AddTransient<FireTimerJob>();
        services.AddTransient<OverdueSweepJob>();
        services.AddTransient<OrphanAttachmentsJob>();
        services.AddTransient<AnnualFeedbackJob>();
        services.AddTransient<ClaimRemindersJob>();
        services.AddHostedService<SchedulingStartup>();
        return services;
    }

    private static JobStorage CreateStorage(SchedulingOptions options, PersistenceOptions persistence, string contentRoot)
    {
        switch (persistence.Provider)
        {
            case DatabaseProvider.Sqlite:
                var folder = Path.GetFullPath(persistence.DataFolder, contentRoot);
                Directory.CreateDirectory(folder);
                return new SQLiteStorage(Path.Combine(folder, options.SqliteFileName), new SQLiteStorageOptions
                {
                    QueuePollInterval = options.QueuePollInterval,
                });
            case DatabaseProvider.PostgreSql:
                var storageOptions = new PostgreSqlStorageOptions
                {
                    SchemaName = options.PostgreSqlSchema,
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = options.QueuePollInterval,
                    EnableLongPolling = true,

                    // A lock row left by a host that died holding it (SIGKILL, power cut) blocks every other
                    // server until it is this old. The default, 10 minutes, stalled every delayed job and every
                    // sweep after a crash (docs/reliability.md, section 1). Hangfire's own locks are held for one
                    // poll, ours for one sweep; a live holder outlasting this only lets an idempotent sweep run twice.
                    DistributedLockTimeout = PostgreSqlLockTimeout,
                };
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(persistence.PostgreSqlConnectionString, storageOptions), storageOptions);
            default:
                throw new InvalidOperationException($"No Hangfire storage for provider {persistence.Provider}.");
        }
    }

    /// <summary>
    /// In-app notifications are rows already; this adds their delivery on the outside channels: e-mail (MailKit over
    /// SMTP), SMS and the group robots (<see cref="ChannelRegistration"/>), and the texts.
    /// </summary>
    public static IServiceCollection AddWorkflowNotifications(this IServiceCollection services, SmtpOptions smtp, ChannelOptions? channels = null)
    {
        services.AddSingleton(smtp);
        services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddSingleton(sp => new NotificationTexts(sp.GetRequiredService<IWorkingCalendar>().TimeZone));
        services.AddTransient<DeliverNotificationJob>();
        services.AddNotificationChannels(channels ?? new ChannelOptions());
        return services;
    }
}
