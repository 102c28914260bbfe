using WorkflowHost.Configuration;
using WorkflowHost.Features.Notifications;
using WorkflowHost.Features.Processes;
using WorkflowHost.Features.Status;

var builder = WebApplication.CreateBuilder(args);

builder.AddWorkflowEngineOptions();
builder.AddWorkflowPersistence();
builder.AddWorkflowScheduling();
builder.AddNotifications();
builder.AddDocumentVerification();

var app = builder.Build();

await app.InitializeWorkflowDatabaseAsync();

app.MapStatusPage();
app.MapProcessCatalogue();
app.MapHealthChecks("/health");
app.MapSchedulingDashboard();
app.MapNotificationAdministration();

await app.RunAsync();

/// <summary>Visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
