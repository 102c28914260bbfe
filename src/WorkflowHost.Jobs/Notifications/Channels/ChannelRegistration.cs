using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WorkflowHost.Engine.Time;
using WorkflowHost.Persistence.Definitions;
using WorkflowHost.Persistence.Notifications;

namespace WorkflowHost.Jobs.Notifications.Channels;

public static class ChannelRegistration
{
    /// <summary>
    /// The outside channels beside e-mail (SMS, WeCom, DingTalk, Feishu), quiet hours and the daily digest. Called by
    /// <c>AddWorkflowNotifications</c>; with default options every new channel is off until a community configures it.
    /// </summary>
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services, ChannelOptions options)
    {
        services.RemoveAll<ChannelOptions>();
        services.AddSingleton(options);
        services.AddDataProtection(); // keys: wherever the host persists them (the workflow database in WorkflowHost)
        services.TryAddSingleton<ChannelOutbox>();
        services.TryAddSingleton<ChannelHttp>();
        services.TryAddSingleton<ChannelSecrets>();
        services.TryAddSingleton(sp => new ChannelTexts(sp.GetRequiredService<NotificationTexts>(), sp.GetRequiredService<DefinitionCatalog>(),
            sp.GetRequiredService<IWorkingCalendar>().TimeZone));
        services.TryAddSingleton(sp => new QuietHours(sp.GetRequiredService<IWorkingCalendar>(), options.QuietFromTime, options.QuietUntilTime));
        services.TryAddSingleton<ISmsProvider, HttpSmsGateway>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<INotificationChannel, EmailChannel>(),
            ServiceDescriptor.Singleton<INotificationChannel, SmsChannel>(),
            ServiceDescriptor.Singleton<INotificationChannel, WeComRobotChannel>(),
            ServiceDescriptor.Singleton<INotificationChannel, DingTalkRobotChannel>(),
            ServiceDescriptor.Singleton<INotificationChannel, FeishuRobotChannel>(),
        ]);
        services.AddTransient<DailyDigestJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChannelStartup>());
        return services;
    }
}

/// <summary>
/// At start: marks the channels that configuration declares as enabled for their community (so announcements are planned
/// for them in the step's transaction), declares the daily digest's recurring job, and runs it once.
/// </summary>
internal sealed class ChannelStartup(IServiceProvider services, ChannelOptions options, ChannelOutbox outbox) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (community, channels) in options.Communities)
        {
            foreach (var (name, endpoint) in channels)
            {
                var channel = name.ToLowerInvariant();
                var stored = await outbox.CommunityChannelAsync(community, channel, cancellationToken);
                if (stored?.Enabled != endpoint.Enabled || stored.UpdatedBy != "configuration")
                {
                    await outbox.SaveCommunityChannelAsync(community, channel, endpoint.Enabled, null, null,
                        ChannelSecrets.Hint(endpoint.Webhook, endpoint.Secret), "configuration", cancellationToken);
                }
            }
        }

        if (services.GetService<IRecurringJobManager>() is { } recurring && services.GetService<IBackgroundJobClient>() is { } jobs)
        {
            var zone = services.GetRequiredService<IWorkingCalendar>().TimeZone;
            var at = options.DigestAtTime;
            recurring.AddOrUpdate<DailyDigestJob>(DailyDigestJob.RecurringJobId, Scheduling.SchedulingOptions.Queue,
                job => job.RunAsync(CancellationToken.None), $"{at.Minute} {at.Hour} * * *", new RecurringJobOptions { TimeZone = zone });
            jobs.Enqueue<DailyDigestJob>(job => job.RunAsync(CancellationToken.None));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
