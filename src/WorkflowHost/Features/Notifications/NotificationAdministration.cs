using WorkflowHost.Features.Accounts;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Notifications;

/// <summary>E-mail deliveries that gave up, with their last error: for administrators, like the dashboard.</summary>
internal static class NotificationAdministration
{
    public static IEndpointRouteBuilder MapNotificationAdministration(this IEndpointRouteBuilder endpoints)
    {
        // Administrators as the directory knows them (decision 20), like every other role check: see Administrators.
        endpoints.MapGet("/api/admin/notifications/failed", async (NotificationOutbox outbox, CancellationToken cancellationToken) =>
            Results.Ok(await outbox.FailedAsync(cancellationToken: cancellationToken)))
        .RequireAuthorization(Administrators.Policy)
        .WithName("FailedNotifications")
        .WithTags("Administration")
        .WithSummary("E-mail deliveries that gave up, with their last error (administrators only).")
        .Produces<IReadOnlyList<DeliveryView>>(StatusCodes.Status200OK)
        .Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status403Forbidden);
        return endpoints;
    }
}
