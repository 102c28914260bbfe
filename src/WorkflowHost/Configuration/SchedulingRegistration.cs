using Hangfire;
using Hangfire.Dashboard;
using WorkflowHost.Jobs;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;

namespace WorkflowHost.Configuration;

internal static class SchedulingRegistration
{
    /// <summary>Hangfire in-process, storage following <c>Persistence:Provider</c>; the <c>Scheduling</c> section tunes it.</summary>
    public static WebApplicationBuilder AddWorkflowScheduling(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptionsNow<SchedulingOptions, SchedulingOptionsValidator>(SchedulingOptions.Section);
        var persistence = builder.AddValidatedOptionsNow<PersistenceOptions, PersistenceOptionsValidator>(PersistenceOptions.Section);
        builder.Services.AddWorkflowScheduling(options, persistence, builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>E-mail through SMTP (MailKit) when <c>Smtp:Host</c> is set; in-app notifications always.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var smtp = builder.AddValidatedOptionsNow<SmtpOptions, SmtpOptionsValidator>(SmtpOptions.Section);
        var channels = builder.AddValidatedOptionsNow<Jobs.Notifications.Channels.ChannelOptions, Jobs.Notifications.Channels.ChannelOptionsValidator>(Jobs.Notifications.Channels.ChannelOptions.Section);
        builder.Services.AddWorkflowNotifications(smtp, channels);
        builder.Services.AddSingleton<Features.Notifications.ChannelService>();
        return builder;
    }

    /// <summary>The Hangfire dashboard at <c>/hangfire</c>, for administrators only: no anonymous access, not even from localhost.</summary>
    public static WebApplication MapSchedulingDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            // Administrators from the directory, like every other role check (decision 20); not Hangfire's localhost default.
            Authorization = [],
            AsyncAuthorization = [new WorkflowHost.Features.Accounts.DashboardAdministrators()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "WorkflowHost · 定时任务",
        });
        return app;
    }
}
