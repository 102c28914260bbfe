using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WorkflowHost.Engine.Time;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Notifications.Channels;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;
using WorkflowHost.Persistence.Processing;

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
        services.AddHangfire((provider, config) =>
        {
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                config.UseLogProvider(new DisposalTolerantLogProvider(new Hangfire.AspNetCore.AspNetCoreLogProvider(loggerFactory)));
            }

            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (persistence.Provider)
            {
                case DatabaseProvider.Sqlite:
                    var folder = Path.GetFullPath(persistence.DataFolder, contentRoot);
                    Directory.CreateDirectory(folder);
                    config.UseSQLiteStorage(Path.Combine(folder, options.SqliteFileName), new SQLiteStorageOptions
                    {
                        QueuePollInterval = options.QueuePollInterval,
                    });
                    break;
                case DatabaseProvider.PostgreSql:
                    config.UsePostgreSqlStorage(
                        bootstrap => bootstrap.UseNpgsqlConnection(persistence.PostgreSqlConnectionString),
                        new PostgreSqlStorageOptions
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
                        });
                    break;
                default:
                    throw new InvalidOperationException($"No Hangfire storage for provider {persistence.Provider}.");
            }
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
        services.AddTransient<FireTimerJob>();
        services.AddTransient<OverdueSweepJob>();
        services.AddHostedService<SchedulingStartup>();
        return services;
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
