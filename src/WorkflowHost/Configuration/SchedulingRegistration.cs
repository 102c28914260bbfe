using Hangfire;
using Hangfire.Dashboard;
using WorkflowHost.Engine.Runtime;
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
        builder.Services.AddWorkflowNotifications(smtp);
        return builder;
    }

    /// <summary>The Hangfire dashboard at <c>/hangfire</c>, for administrators only: no anonymous access, not even from localhost.</summary>
    public static WebApplication MapSchedulingDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdministratorsOnly()],
            AsyncAuthorization = [],
            DisplayStorageConnectionString = false,
            DashboardTitle = "WorkflowHost · 定时任务",
        });
        return app;
    }

    /// <summary>
    /// Replaces Hangfire's default filter (which lets any local request in). Fails closed: with no authentication
    /// configured every request is anonymous, so nobody gets in.
    /// </summary>
    internal sealed class AdministratorsOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => IsAdministrator(context.GetHttpContext().User);
    }

    public static bool IsAdministrator(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.IsInRole(RoleNames.Administrator);
}
