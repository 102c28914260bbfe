using WorkflowHost.Configuration;
using WorkflowHost.Persistence.Instances;

namespace WorkflowHost.Features.Notifications;

/// <summary>E-mail deliveries that gave up, with their last error: for administrators, like the dashboard.</summary>
internal static class NotificationAdministration
{
    public static IEndpointRouteBuilder MapNotificationAdministration(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/admin/notifications/failed", async (HttpContext http, NotificationOutbox outbox, CancellationToken cancellationToken) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            return SchedulingRegistration.IsAdministrator(http.User)
                ? Results.Ok(await outbox.FailedAsync(cancellationToken: cancellationToken))
                : Results.StatusCode(StatusCodes.Status403Forbidden);
        })
        .WithName("FailedNotifications")
        .WithTags("Administration")
        .WithSummary("E-mail deliveries that gave up, with their last error (administrators only).")
        .Produces<IReadOnlyList<DeliveryView>>(StatusCodes.Status200OK)
        .Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status403Forbidden);
        return endpoints;
    }
}
