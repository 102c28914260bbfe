using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using WorkflowHost.Configuration;
using WorkflowHost.Features.Accounts;
using WorkflowHost.Features.Ballots;
using WorkflowHost.Features.Collections;
using WorkflowHost.Features.Communities;
using WorkflowHost.Features.Inbox;
using WorkflowHost.Features.Instances;
using WorkflowHost.Features.Ledger;
using WorkflowHost.Features.Processes;
using WorkflowHost.Features.Replies;
using WorkflowHost.Features.Tasks;
using WorkflowHost.Features.Timeline;
using WorkflowHost.Persistence.Records;

namespace WorkflowHost.Api;

/// <summary>
/// The HTTP API as one public contract: JSON in camelCase with readable Chinese, every error a ProblemDetails, an
/// OpenAPI document at <c>/openapi/v1.json</c> (and the Scalar page at <c>/scalar</c> in Development). Everything under
/// <c>/api</c> needs a signed-in person except the process catalogue and reply verification.
/// </summary>
internal static class ApiRegistration
{
    public static WebApplicationBuilder AddWorkflowApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(json =>
        {
            // Responses are JSON, never HTML: keep Chinese and quotes readable for curl users.
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        });
        services.AddProblemDetails();
        services.AddRequestLimits();
        services.AddExceptionHandler<DatabaseUnavailableHandler>(); // first: a database outage is a 503 wherever it strikes
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Singletons: a validator holds only its rules, and building them (FluentValidation compiles each rule's
        // expression) cost every request a new validator, about a tenth of a vote's allocations (issue 18). Their
        // dependencies are singletons too (the catalog, the clock, the calendar), read when a rule runs.
        services.AddValidatorsFromAssemblyContaining<ApiExceptionHandler>(ServiceLifetime.Singleton, includeInternalTypes: true);
        services.AddValidatedOptions<ReplyOptions, ReplyOptionsValidator>(ReplyOptions.Section);
        // One key for every printed code, validated at start (ReplyOptionsValidator).
        services.AddSingleton(provider => DocumentCodes.FromBase64(provider.GetRequiredService<IOptions<ReplyOptions>>().Value.VerificationKey));
        services.AddSingleton<ReplyCodes>();
        services.AddSingleton<ReplyVerifier>();
        services.AddSingleton<StepCommands>();
        services.AddSingleton<Features.InService.Feedback.ReviewCommands>();
        services.AddSingleton<InstanceReader>();
        services.AddSingleton<ActivityRecords>();
        services.AddSingleton<InboxBuilder>();
        services.AddSingleton<Features.Copies.CopiedCases>();
        services.AddSingleton<Features.Copies.TakenBackReadings>();
        services.AddSingleton<Features.Landing.CommunitySummaryReader>();
        services.AddSingleton<DirectoryReader>();
        services.AddSingleton<Features.Communities.Import.CommunityImport>();
        services.AddSingleton<LedgerReader>();
        services.AddSingleton<DashboardFigures>();
        services.AddSingleton<Features.InService.InServiceDashboard>();
        services.AddSingleton<Features.InService.StartFormChoices>();
        services.AddSingleton<Features.CoBuilding.CoBuildingRecord>();
        services.AddOpenApi(OpenApiContract.Configure);
        return builder;
    }

    public static WebApplication UseWorkflowApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        return app;
    }

    public static WebApplication MapWorkflowApi(this WebApplication app)
    {
        var publicApi = app.MapGroup("/api").AllowAnonymous();
        ProcessesEndpoints.Map(publicApi);
        RepliesEndpoints.Map(publicApi);

        var api = app.MapGroup("/api")
            .RequireAuthorization(AccountsRegistration.SignedIn)
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .AddEndpointFilter<ValidationFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        InstancesEndpoints.Map(api);
        InboxEndpoints.Map(api);
        TasksEndpoints.Map(api);
        CaseActionsEndpoints.Map(api);
        TaskMovesEndpoints.Map(api);
        Features.Copies.CopiesEndpoints.Map(api);
        Features.Withdrawals.WithdrawalsEndpoints.Map(api);
        AbsenceEndpoints.Map(api);
        WrittenOpinionEndpoints.Map(api);
        BallotsEndpoints.Map(api);
        CollectionsEndpoints.Map(api);
        TimelineEndpoints.Map(api);
        DirectoryEndpoints.Map(api);
        LedgerEndpoints.Map(api);
        Features.Attachments.AttachmentsEndpoints.Map(api);
        Features.InService.InServiceEndpoints.Map(api);
        Features.InService.ParticipationEndpoints.Map(api);

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            // No fonts from Scalar's CDN: the page's Content-Security-Policy allows the host's own files only (Configuration/Transport.cs).
            app.MapScalarApiReference(scalar => scalar.DisableDefaultFonts());
        }

        return app;
    }
}

/// <summary>The few exceptions that are the client's doing become their status; anything else stays a 500 ProblemDetails.</summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            UnknownCallerException e => (StatusCodes.Status403Forbidden, e.Message),
            BadHttpRequestException e => (e.StatusCode, e.Message),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }
}
