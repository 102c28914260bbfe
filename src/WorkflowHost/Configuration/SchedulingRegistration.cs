using FluentValidation;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;
using WorkflowHost.Jobs;
using WorkflowHost.Jobs.Notifications;
using WorkflowHost.Jobs.Scheduling;
using WorkflowHost.Persistence;

namespace WorkflowHost.Configuration;

internal static class SchedulingRegistration
{
    public const string AdministratorRole = "administrator";

    /// <summary>Hangfire in-process, storage following <c>Persistence:Provider</c>; the <c>Scheduling</c> section tunes it.</summary>
    public static WebApplicationBuilder AddWorkflowScheduling(this WebApplicationBuilder builder)
    {
        var options = Validated(builder.Configuration, SchedulingOptions.Section, new SchedulingOptions(), new SchedulingOptionsValidator());
        var persistence = builder.Configuration.GetSection(PersistenceOptions.Section).Get<PersistenceOptions>() ?? new PersistenceOptions();
        builder.Services.AddWorkflowScheduling(options, persistence, builder.Environment.ContentRootPath);
        return builder;
    }

    /// <summary>E-mail through SMTP (MailKit) when <c>Smtp:Host</c> is set; in-app notifications always.</summary>
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var smtp = Validated(builder.Configuration, SmtpOptions.Section, new SmtpOptions(), new SmtpOptionsValidator());
        var channels = Validated(builder.Configuration, Jobs.Notifications.Channels.ChannelOptions.Section, new Jobs.Notifications.Channels.ChannelOptions(), new Jobs.Notifications.Channels.ChannelOptionsValidator());
        builder.Services.AddWorkflowNotifications(smtp, channels);
        builder.Services.AddSingleton<Features.Notifications.ChannelService>();
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

    private static T Validated<T>(ConfigurationManager configuration, string section, T defaults, IValidator<T> validator)
        where T : class
    {
        configuration.GetSection(section).Bind(defaults);
        var result = validator.Validate(defaults);
        return result.IsValid
            ? defaults
            : throw new OptionsValidationException(section, typeof(T), result.Errors.Select(e => $"{section}:{e.PropertyName}: {e.ErrorMessage}"));
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
        user.Identity?.IsAuthenticated == true && user.IsInRole(AdministratorRole);
}
