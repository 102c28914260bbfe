using WorkflowHost.Api;
using WorkflowHost.Configuration;
using WorkflowHost.Features.Notifications;
using WorkflowHost.Features.Processes;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Features.Backup;
using WorkflowHost.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddTransport();
builder.AddWorkflowEngineOptions();
builder.AddWorkflowPersistence();
builder.AddWorkflowScheduling();
builder.AddNotifications();
builder.AddAccounts();
builder.AddWorkflowApi();
builder.AddWebPages();
builder.Services.AddAuthorizationFailureLog();

var app = builder.Build();

// Before migrating or seeding: a backup copies the data as it is, even from a host that is running.
if (await BackupCommand.TryRunAsync(app, args))
{
    return;
}

await app.InitializeWorkflowDatabaseAsync();
await DemoAccounts.EnsureAsync(app.Services);
if (await SetPasswordCommand.TryRunAsync(app, args))
{
    return;
}

if (await WorkflowHost.Features.Communities.SeedCommand.TryRunAsync(app, args))
{
    return;
}

// First: the client's real address and scheme behind a proxy, HSTS and HTTPS, the security headers (docs/decisions/0085).
app.UseTransport();
// Outermost after that, so it logs the final status of every refused request (docs/decisions/0056).
app.UseAuthorizationFailureLog();
app.UseWorkflowApi();
app.UseAccounts();

app.MapAccounts();
app.MapWorkflowApi();
app.MapWebPages();
app.MapHealth();
app.MapSchedulingDashboard();
app.MapNotificationAdministration();
app.MapNotificationChannels();

await app.RunAsync();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
