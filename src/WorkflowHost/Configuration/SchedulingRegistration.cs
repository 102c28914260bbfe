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
        builder.Services.AddWorkflowNotifications(smtp);
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

    private static T Validated<T>(ConfigurationManager configuration, string section, T defaults, IValidator<T> validator)
        where T : class
    {
        configuration.GetSection(section).Bind(defaults);
        var result = validator.Validate(defaults);
        return result.IsValid
            ? defaults
            : throw new OptionsValidationException(section, typeof(T), result.Errors.Select(e => $"{section}:{e.PropertyName}: {e.ErrorMessage}"));
    }
}
